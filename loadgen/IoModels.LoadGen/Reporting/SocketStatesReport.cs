namespace IoModels.LoadGen.Reporting;

/// <summary>
/// TCP sockets on the target port by state, after the load generator closed its connections and the server had up to
/// 2 s to close its ends (CLOSE_WAIT left after that is a server that does not close).
/// </summary>
public sealed record SocketStatesReport
{
    public required int Port { get; init; }

    /// <summary>On loopback both ends of a connection are counted, and the server's listener (LISTEN).</summary>
    public required SortedDictionary<string, int> Counts { get; init; }
}
