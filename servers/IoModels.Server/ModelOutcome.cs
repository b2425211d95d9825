namespace IoModels.Server;

/// <summary>What the run's exit code will be: clean unless the model's loop failed.</summary>
internal sealed class ModelOutcome
{
    private int _exitCode = ServerExitCode.Clean;

    public int ExitCode => Volatile.Read(ref _exitCode);

    public void Failed() => Volatile.Write(ref _exitCode, ServerExitCode.ModelFailed);
}
