using IoModels.LoadGen.Monitoring;

namespace IoModels.Tests.LoadGen;

public sealed class TimeWaitCountersTests
{
    [Fact]
    public void Both_counters_are_read_by_name_from_the_tcp_ext_table_only()
    {
        string[] netstat =
        [
            "TcpExt: SyncookiesSent SyncookiesRecv TW TWRecycled TWKilled PAWSActive TCPTimeWaitOverflow",
            "TcpExt: 0 0 91331 21494 0 0 164670",
            "IpExt: InNoRoutes TWRecycled TCPTimeWaitOverflow",
            "IpExt: 0 7 9",
        ];

        Assert.Equal(new TimeWaitCounters(21494, 164670), TimeWaitCounters.Parse(netstat));
    }

    [Fact]
    public void A_table_without_either_counter_or_without_values_reads_as_unknown()
    {
        Assert.Null(TimeWaitCounters.Parse(["TcpExt: SyncookiesSent TW TWRecycled", "TcpExt: 0 5 3"]));
        Assert.Null(TimeWaitCounters.Parse(["TcpExt: TW TCPTimeWaitOverflow", "TcpExt: 5 3"]));
        Assert.Null(TimeWaitCounters.Parse(["TcpExt: SyncookiesSent TW TWRecycled TCPTimeWaitOverflow"]));
        Assert.Null(TimeWaitCounters.Parse([]));
    }

    [Fact]
    public void The_difference_is_what_each_counter_rose_by()
    {
        Assert.Equal(new TimeWaitCounters(17525, 0), new TimeWaitCounters(39019, 164670) - new TimeWaitCounters(21494, 164670));
    }

    [Fact]
    public void This_machine_reports_both_counters()
    {
        Assert.True(File.Exists("/proc/net/netstat"), "the suite runs on Linux");
        Assert.True(TimeWaitCounters.TryRead() is { Recycled: >= 0, Overflowed: >= 0 });
    }
}
