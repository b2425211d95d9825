namespace IoModels.Bench.Ab;

/// <summary>
/// One model x scenario cell compared. <see cref="Throughput"/> and <see cref="CpuPerMessage"/> are null when the cell
/// was not run on both sides (new, removed), when a round failed, or (CPU only) when the runs did not sample the server.
/// </summary>
public sealed record AbCellResult(
    string Model,
    string Scenario,
    int Rounds,
    IReadOnlyList<AbSample> A,
    IReadOnlyList<AbSample> B,
    MetricComparison? Throughput,
    MetricComparison? CpuPerMessage,
    AbVerdict Verdict)
{
    public string Cell => $"{Model} / {Scenario}";
}
