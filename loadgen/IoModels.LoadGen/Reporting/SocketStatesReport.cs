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

    /// <summary>
    /// TIME_WAIT sockets that new connects took over while this run lasted (the kernel's TcpExt TWRecycled, this network
    /// namespace; null when unreadable, and for UDP). They are missing from the census: with net.ipv4.tcp_tw_reuse a
    /// client that closed first and ran out of ports recycled them.
    /// </summary>
    public long? TimeWaitRecycled { get; init; }

    /// <summary>
    /// Closes that got no TIME_WAIT while this run lasted, because the network namespace's table was full (the kernel's
    /// TcpExt TCPTimeWaitOverflow against net.ipv4.tcp_max_tw_buckets; null when unreadable, and for UDP). Those are
    /// missing from the census on whichever side closed first.
    /// </summary>
    public long? TimeWaitOverflowed { get; init; }
}
