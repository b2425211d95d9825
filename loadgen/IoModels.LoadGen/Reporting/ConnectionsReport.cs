namespace IoModels.LoadGen.Reporting;

/// <summary>Connection counts over the whole run (warm-up included), active and idle connections together.</summary>
public sealed record ConnectionsReport
{
    public required long Attempted { get; init; }

    public required long Established { get; init; }

    public required long Failed { get; init; }

    public required SortedDictionary<string, long> FailedByReason { get; init; }

    public required long PeakOpen { get; init; }

    /// <summary>The server closed the connection (a read returned end-of-stream).</summary>
    public required long ClosedByPeer { get; init; }

    /// <summary>The load generator closed it (per-request echoes, an echo timed out, a mismatch, end of run).</summary>
    public required long ClosedByClient { get; init; }

    public required long Idle { get; init; }

    /// <summary>
    /// Of the <see cref="Idle"/> connections, those the server had closed when the run ended (an idle timeout): also in
    /// <see cref="ClosedByPeer"/>, and no error, since a server may close a peer that says nothing.
    /// </summary>
    public required long IdleClosedByPeer { get; init; }
}
