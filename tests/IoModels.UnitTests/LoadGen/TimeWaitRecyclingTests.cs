using IoModels.LoadGen.Monitoring;

namespace IoModels.Tests.LoadGen;

public sealed class TimeWaitRecyclingTests
{
    [Fact]
    public void Tw_recycled_is_read_by_name_from_the_tcp_ext_table()
    {
        string[] netstat =
        [
            "TcpExt: SyncookiesSent SyncookiesRecv TW TWRecycled TWKilled PAWSActive",
            "TcpExt: 0 0 91331 21494 0 0",
            "IpExt: InNoRoutes TWRecycled",
            "IpExt: 0 7",
        ];

        Assert.Equal(21494, TimeWaitRecycling.Parse(netstat));
    }

    [Fact]
    public void A_table_without_the_counter_or_without_values_reads_as_unknown()
    {
        Assert.Null(TimeWaitRecycling.Parse(["TcpExt: SyncookiesSent TW", "TcpExt: 0 5"]));
        Assert.Null(TimeWaitRecycling.Parse(["TcpExt: SyncookiesSent TW TWRecycled"]));
        Assert.Null(TimeWaitRecycling.Parse([]));
    }

    [Fact]
    public void This_machine_reports_the_counter()
    {
        Assert.True(File.Exists("/proc/net/netstat"), "the suite runs on Linux");
        Assert.True(TimeWaitRecycling.TryRead() is >= 0);
    }
}
