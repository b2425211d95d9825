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
    public void Socket_states_are_counted_for_either_end_on_the_port_and_by_side()
    {
        // Port 0x1B5F (7007) is the target: the listener, one connection with both ends here, a client end in
        // TIME_WAIT (the client closed first), a server end in TIME_WAIT (the server closed first), and a socket of
        // another port that does not count.
        string[] table =
        [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1B5F 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1 0 100 0 0 10 0",
            "   1: 0100007F:1B5F 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 2 1 0 20 4 30 10 -1",
            "   2: 0100007F:C350 0100007F:1B5F 01 00000000:00000000 00:00000000 00000000  1000        0 3 1 0 20 4 30 10 -1",
            "   3: 0100007F:C351 0100007F:1B5F 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0",
            "   4: 0100007F:1B5F 0100007F:C353 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0",
            "   5: 0100007F:1F90 0100007F:C352 08 00000000:00000000 00:00000000 00000000  1000        0 4 1 0",
        ];
        var census = new SocketCensus();

        SocketStateCensus.Count(table, port: 0x1B5F, census);

        Assert.Equal(new Dictionary<string, int> { ["LISTEN"] = 1, ["ESTABLISHED"] = 2, ["TIME_WAIT"] = 2 }, census.All);
        Assert.Equal(new Dictionary<string, int> { ["LISTEN"] = 1, ["ESTABLISHED"] = 1, ["TIME_WAIT"] = 1 }, census.Server);
        Assert.Equal(new Dictionary<string, int> { ["ESTABLISHED"] = 1, ["TIME_WAIT"] = 1 }, census.Client);
    }

    [Fact]
    public void A_time_wait_pile_shows_on_the_side_that_closed_first()
    {
        string[] header = ["  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"];
        // Ten client ends in TIME_WAIT (ports C350 to C359 connected to 1B5F): the client was the active closer.
        var clientClosed = header.Concat(Enumerable.Range(0, 10).Select(i => $"   {i}: 0100007F:{0xC350 + i:X4} 0100007F:1B5F 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0"));
        // The same ten with the roles turned: the server's ends hold TIME_WAIT.
        var serverClosed = header.Concat(Enumerable.Range(0, 10).Select(i => $"   {i}: 0100007F:1B5F 0100007F:{0xC350 + i:X4} 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0"));
        var byClient = new SocketCensus();
        var byServer = new SocketCensus();

        SocketStateCensus.Count(clientClosed, 0x1B5F, byClient);
        SocketStateCensus.Count(serverClosed, 0x1B5F, byServer);

        Assert.Equal(10, byClient.Client["TIME_WAIT"]);
        Assert.Empty(byClient.Server);
        Assert.Equal(10, byServer.Server["TIME_WAIT"]);
        Assert.Empty(byServer.Client);
    }
}
