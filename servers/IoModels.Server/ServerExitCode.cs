namespace IoModels.Server;

/// <summary>The host's exit codes (README, "Running a server by hand"); scripts and run-bench depend on them.</summary>
internal static class ServerExitCode
{
    /// <summary>Stopped by SIGINT/SIGTERM after serving normally.</summary>
    public const int Clean = 0;

    /// <summary>A bad option, a port in use, or a model that cannot run here: one line on stderr.</summary>
    public const int Usage = 2;

    /// <summary>A loop of the model failed; the fault was logged once and every connection closed.</summary>
    public const int ModelFailed = 3;
}
