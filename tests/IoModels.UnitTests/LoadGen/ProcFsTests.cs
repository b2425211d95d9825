using IoModels.LoadGen.Monitoring;

namespace IoModels.Tests.LoadGen;

public sealed class ProcFsTests
{
    [Fact]
    public void Cpu_ticks_are_utime_plus_stime_even_with_spaces_in_the_name()
    {
        const string Stat = "4242 (my (odd) server) S 1 4242 4242 0 -1 4194560 1000 0 0 0 350 150 0 0 20 0 9 0 100 1000000 500 18446744073709551615";

        Assert.Equal(500, ProcFs.ParseCpuTicks(Stat));
    }

    [Fact]
    public void This_process_can_be_read()
    {
        var sample = ProcFs.TryRead(Environment.ProcessId);

        Assert.NotNull(sample);
        Assert.True(sample.Value.RssBytes > 0);
        Assert.True(sample.Value.Threads > 0);
    }

    [Fact]
    public void Socket_states_are_counted_for_either_end_on_the_port()
    {
        string[] table =
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1B5F 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 100 0 0 10 0",
            "   1: 0100007F:1B5F 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0 20 4 30 10 -1",
            "   2: 0100007F:C350 0100007F:1B5F 01 00000000:00000000 00:00000000 00000000  1000        0 3 1 0 20 4 30 10 -1",
            "   3: 0100007F:C351 0100007F:1B5F 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0",
            "   4: 0100007F:1F90 0100007F:C352 08 00000000:00000000 00:00000000 00000000  1000        0 4 1 0",
        ];
        var counts = new Dictionary<string, int>();

        SocketStateCensus.Count(table, port: 0x1B5F, counts);

        Assert.Equal(new Dictionary<string, int> { ["LISTEN"] = 1, ["ESTABLISHED"] = 2, ["TIME_WAIT"] = 1 }, counts);
    }
}
