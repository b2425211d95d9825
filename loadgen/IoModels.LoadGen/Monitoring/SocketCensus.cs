namespace IoModels.LoadGen.Monitoring;

/// <summary>
/// TCP sockets on one port by state: all of them, and split by side. The server's side is a socket whose local port is
/// the port (its listener and the ends it accepted); the client's side one whose remote port is (the ends that
/// connected to it). On loopback both sides are on this machine, so the split says which side holds, say, TIME_WAIT:
/// the side that closed first.
/// </summary>
public sealed class SocketCensus
{
    public SortedDictionary<string, int> All { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> Server { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> Client { get; } = new(StringComparer.Ordinal);

    public void Add(string state, bool serverSide)
    {
        Increment(All, state);
        Increment(serverSide ? Server : Client, state);
    }

    private static void Increment(SortedDictionary<string, int> counts, string state) =>
        counts[state] = counts.TryGetValue(state, out int n) ? n + 1 : 1;
}
