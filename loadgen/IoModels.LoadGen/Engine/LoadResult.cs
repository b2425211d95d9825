using IoModels.LoadGen.Reporting;

namespace IoModels.LoadGen.Engine;

/// <summary>What a run produced: the report and the merged counts behind it (for the percentile distribution file).</summary>
public sealed record LoadResult(LoadReport Report, WorkerStats Stats);
