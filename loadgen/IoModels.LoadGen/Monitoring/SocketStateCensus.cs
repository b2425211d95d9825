using System.Globalization;

namespace IoModels.LoadGen.Monitoring;

/// <summary>
/// Counts the kernel's TCP sockets on one port by state, from /proc/net/tcp and /proc/net/tcp6. A socket counts when
/// its local or remote port is the port, so on loopback both ends of a connection are counted (and the listener),
/// each on its side (<see cref="SocketCensus"/>).
/// </summary>
public static class SocketStateCensus
{
    // include/net/tcp_states.h
    private static readonly string[] s_stateNames =
    [
        "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT",
        "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    ];

    /// <summary>
    /// The census once the server has caught up with our closes: a socket we just closed sits in CLOSE_WAIT on the
    /// server's side until the server reads the end-of-stream, so the census is retaken every 50 ms for up to
    /// <paramref name="settleTime"/> while any CLOSE_WAIT remains. What is left after that is a server that does not close.
    /// </summary>
    public static SocketCensus TakeSettled(int port, TimeSpan settleTime)
    {
        var deadline = DateTime.UtcNow + settleTime;
        var census = Take(port);
        while (census.All.ContainsKey("CLOSE_WAIT") && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
            census = Take(port);
        }

        return census;
    }

    public static SocketCensus Take(int port)
    {
        var census = new SocketCensus();
        foreach (string path in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            try
            {
                Count(File.ReadLines(path), port, census);
            }
            catch (IOException)
            {
                // No IPv6 on this machine, or no /proc: the census is simply empty.
            }
        }

        return census;
    }

    /// <summary>Adds the sockets of one /proc/net/tcp table (header line first) to <paramref name="census"/>.</summary>
    public static void Count(IEnumerable<string> lines, int port, SocketCensus census)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(census);
        foreach (string line in lines.Skip(1))
        {
            // "  sl  local_address rem_address   st ...": "0: 0100007F:1B5F 0100007F:A2C4 01 ..."
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4)
            {
                continue;
            }

            // A socket connected to itself (both ports the port) is the server's: its local port is the one served.
            bool serverSide = PortOf(fields[1]) == port;
            if (!serverSide && PortOf(fields[2]) != port)
            {
                continue;
            }

            int state = int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            census.Add(state < s_stateNames.Length ? s_stateNames[state] : $"STATE_{state}", serverSide);
        }
    }

    private static int PortOf(string address) =>
        int.Parse(address.AsSpan(address.LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
