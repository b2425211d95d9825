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

    /// <summary>The server's side: sockets whose local port is the target's (the listener and the accepted ends).</summary>
    public required SortedDictionary<string, int> Server { get; init; }

    /// <summary>The client's side: sockets whose remote port is the target's (the ends that connected, ours among them).</summary>
    public required SortedDictionary<string, int> Client { get; init; }
}
