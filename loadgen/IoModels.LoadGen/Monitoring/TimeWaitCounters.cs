using System.Globalization;

namespace IoModels.LoadGen.Monitoring;

/// <summary>
/// The two TIME_WAIT counters of the <c>TcpExt:</c> table in /proc/net/netstat (this network namespace) that explain a
/// census short of the connections a side closed first:
/// <list type="bullet">
/// <item><c>TWRecycled</c>: TIME_WAIT sockets a new connect took over. With <c>net.ipv4.tcp_tw_reuse</c> (2, its default,
/// allows it on loopback) a connect may take a port whose TIME_WAIT is older than <c>tcp_tw_reuse_delay</c>, so a client
/// opening more connections than it has ephemeral ports recycles its own TIME_WAIT before a census can count it.</item>
/// <item><c>TCPTimeWaitOverflow</c>: closes that got no TIME_WAIT at all, because the namespace already held
/// <c>net.ipv4.tcp_max_tw_buckets</c> of them (earlier runs' included: they last 60 s).</item>
/// </list>
/// </summary>
public readonly record struct TimeWaitCounters(long Recycled, long Overflowed)
{
    /// <summary>The counters now, or null when /proc/net/netstat cannot be read or lacks either.</summary>
    public static TimeWaitCounters? TryRead()
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

    /// <summary>Both counters from the text of /proc/net/netstat, or null when it lacks either.</summary>
    public static TimeWaitCounters? Parse(IReadOnlyList<string> netstat)
    {
        long? recycled = null;
        long? overflowed = null;
        foreach (var (name, value) in ProcNetTable.Read(netstat, "TcpExt: "))
        {
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long count))
            {
                switch (name)
                {
                    case "TWRecycled":
                        recycled = count;
                        break;
                    case "TCPTimeWaitOverflow":
                        overflowed = count;
                        break;
                }
            }
        }

        return recycled is long r && overflowed is long o ? new TimeWaitCounters(r, o) : null;
    }

    /// <summary>What the counters rose by between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static TimeWaitCounters operator -(TimeWaitCounters after, TimeWaitCounters before) =>
        new(after.Recycled - before.Recycled, after.Overflowed - before.Overflowed);
}
