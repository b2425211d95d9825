using System.Globalization;

namespace IoModels.LoadGen.Monitoring;

/// <summary>
/// TIME_WAIT sockets that a new connect took over: <c>TWRecycled</c> of the <c>TcpExt:</c> table in /proc/net/netstat,
/// for this network namespace. With <c>net.ipv4.tcp_tw_reuse</c> (2, its default, allows it on loopback) a connect may
/// take a port whose TIME_WAIT is older than <c>tcp_tw_reuse_delay</c>; that TIME_WAIT is then gone before a census can
/// count it. A client opening more connections than it has ephemeral ports recycles its own TIME_WAIT this way, so the
/// census alone under-counts the side that closed first.
/// </summary>
public static class TimeWaitRecycling
{
    /// <summary>The counter now, or null when /proc/net/netstat cannot be read or has no TWRecycled.</summary>
    public static long? TryRead()
    {
        try
        {
            return Parse(File.ReadAllLines("/proc/net/netstat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>TWRecycled from the text of /proc/net/netstat, or null when it holds none.</summary>
    public static long? Parse(IReadOnlyList<string> netstat)
    {
        foreach (var (name, value) in ProcNetTable.Read(netstat, "TcpExt: "))
        {
            if (name == "TWRecycled" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long recycled))
            {
                return recycled;
            }
        }

        return null;
    }
}
