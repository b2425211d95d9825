namespace IoModels.Bench.Running;

/// <summary>Why a server of the matrix cannot run here: <c>not-available</c> (not in this tree) or <c>skipped</c> (a tool is missing).</summary>
internal sealed record ServerAbsence(CellStatus Status, string Detail);
