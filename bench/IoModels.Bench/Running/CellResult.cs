namespace IoModels.Bench.Running;

/// <summary>How a cell ended, and the load generator's report when it wrote one.</summary>
internal sealed record CellResult(CellOutcome Outcome, LoadReport? Report);
