namespace IoModels.Bench;

/// <summary>One model in one scenario of a run: how it ended, and its figures when it ran.</summary>
internal sealed record BenchCell(CellOutcome Outcome, LoadReport? Report, IReadOnlyList<PercentilePoint> Latency)
{
    public string Model => Outcome.Model;

    public string Scenario => Outcome.Scenario;

    /// <summary>The cell's status, judged again from the report: a mismatch or an empty measured phase fails whatever the exit code said.</summary>
    public CellStatus Status => (Outcome.Status, Report) switch
    {
        (CellStatus.Ok or CellStatus.Refused or CellStatus.Overloaded, { Mismatches: > 0 }) => CellStatus.Mismatch,
        (CellStatus.Ok, { Messages: 0 }) => CellStatus.Stalled,
        _ => Outcome.Status,
    };

    /// <summary>The figure this scenario is judged by, oriented so that higher is better; null without figures.</summary>
    public double? Score(ScoreMetric metric) => Report switch
    {
        null => null,
        _ when Status != CellStatus.Ok => null,
        { MessagesPerSecond: > 0 } report when metric == ScoreMetric.Throughput => report.MessagesPerSecond,
        { P99Micros: > 0 } report when metric == ScoreMetric.P99Latency => 1 / report.P99Micros.Value,
        _ => null,
    };
}
