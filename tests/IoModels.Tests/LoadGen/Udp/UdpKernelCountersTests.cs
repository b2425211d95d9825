using IoModels.LoadGen.Monitoring;

namespace IoModels.Tests.LoadGen.Udp;

public sealed class UdpKernelCountersTests
{
    private static readonly string[] s_snmp =
    [
        "Ip: Forwarding DefaultTTL InReceives",
        "Ip: 1 64 1000",
        "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors",
        "Udp: 128913 1 7 128935 5 2 0 0 0",
        "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors",
        "UdpLite: 900 900 900 900 900 900 0 0 0",
    ];

    [Fact]
    public void The_udp_line_is_read_by_name_and_udp_lite_is_not_udp()
    {
        var counters = UdpKernelCounters.Parse(s_snmp, []);

        Assert.Equal(new UdpKernelCounters(128913, 1, 7, 128935, 5, 2), counters);
    }

    [Fact]
    public void Udp6_counters_are_added()
    {
        string[] snmp6 = ["Ip6InReceives                   \t50", "Udp6InDatagrams                 \t10", "Udp6RcvbufErrors                \t3", "Udp6SndbufErrors                \t1", "Udp6InErrors                    \t4"];

        var counters = UdpKernelCounters.Parse(s_snmp, snmp6);

        Assert.Equal(new UdpKernelCounters(128923, 1, 11, 128935, 8, 3), counters);
    }

    [Fact]
    public void The_difference_is_what_happened_in_between()
    {
        var before = new UdpKernelCounters(100, 1, 2, 100, 1, 0);
        var after = new UdpKernelCounters(1100, 1, 52, 1100, 51, 3);

        Assert.Equal(new UdpKernelCounters(1000, 0, 50, 1000, 50, 3), after - before);
    }

    [Fact]
    public void No_udp_line_is_no_reading()
    {
        Assert.Null(UdpKernelCounters.Parse(["Ip: Forwarding", "Ip: 1"], []));
    }

    [Fact]
    public void This_machine_can_be_read()
    {
        Assert.NotNull(UdpKernelCounters.TryRead());
    }
}
