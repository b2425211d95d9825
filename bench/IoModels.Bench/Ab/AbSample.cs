namespace IoModels.Bench.Ab;

/// <summary>
/// What one run of one side in one cell measured. <see cref="ServerCpuSecondsPerMessage"/> is null when the run did not
/// sample the server's CPU; <see cref="Failure"/> is set (and the figures are not used) when the run did not complete.
/// </summary>
public sealed record AbSample(double MessagesPerSecond, double? ServerCpuSecondsPerMessage, string? Failure = null)
{
    public static AbSample Failed(string why) => new(0, null, why);

    public bool Succeeded => Failure is null;
}
