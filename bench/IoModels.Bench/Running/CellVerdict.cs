namespace IoModels.Bench.Running;

/// <summary>How a cell's processes ended: its status, the one line saying why, and the server's refusals when they are the finding.</summary>
internal readonly record struct CellVerdict(CellStatus Status, string Detail, long? Refused = null)
{
    public static implicit operator CellVerdict((CellStatus Status, string Detail) verdict) => new(verdict.Status, verdict.Detail);
}
