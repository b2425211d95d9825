using IoModels.LoadGen.Options;
using IoModels.Protocol;
using IoModels.Protocol.CommandLine;

namespace IoModels.Tests.LoadGen;

public sealed class LoadCommandLineTests
{
    [Fact]
    public void Defaults_are_a_closed_loop_of_small_framed_messages()
    {
        var options = LoadCommandLine.Parse(["--target", "127.0.0.1:7007"])!;

        Assert.Equal(7007, options.EndPoint.Port);
        Assert.Equal("127.0.0.1:7007", options.Label);
        Assert.False(options.IsOpenLoop);
        Assert.Equal(Framing.Framed, options.Framing);
        Assert.Equal(new PayloadSize(64, 64), options.Payload);
        Assert.Equal(1, options.Pipeline);
        Assert.True(options.NoDelay);
        Assert.InRange(options.Threads, 1, options.Connections);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var options = LoadCommandLine.Parse(
        [
            "--target", "localhost:9000", "--label", "x", "--connections", "8", "--duration", "500ms", "--warmup", "0",
            "--payload", "16-256", "--framing", "raw", "--rate", "1000", "--pipeline", "4", "--idle-connections", "3",
            "--connect-rate", "50", "--no-delay", "false", "--server-pid", "1", "--threads", "2",
            "--connect-timeout", "2s", "--timeout", "1s", "--json", "r.json", "--hgrm", "r.hgrm", "--progress", "false",
        ])!;

        Assert.Equal(9000, options.EndPoint.Port);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Duration);
        Assert.Equal(TimeSpan.Zero, options.Warmup);
        Assert.Equal(new PayloadSize(16, 256), options.Payload);
        Assert.Equal(Framing.Raw, options.Framing);
        Assert.Equal(1000, options.Rate);
        Assert.Equal(4, options.Pipeline);
        Assert.Equal(3, options.IdleConnections);
        Assert.Equal(50, options.ConnectRate);
        Assert.False(options.NoDelay);
        Assert.Equal(1, options.ServerPid);
        Assert.Equal(2, options.Threads);
        Assert.Equal("r.json", options.JsonPath);
        Assert.Equal("r.hgrm", options.HgrmPath);
        Assert.False(options.Progress);
    }

    [Fact]
    public void Switches_stand_alone_or_take_a_value()
    {
        var options = LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--split-writes", "--no-delay", "false"])!;

        Assert.True(options.SplitWrites);
        Assert.False(options.NoDelay);
    }

    [Fact]
    public void Help_asks_for_the_usage()
    {
        Assert.Null(LoadCommandLine.Parse(["--help"]));
        Assert.Contains("--target", LoadCommandLine.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--target 127.0.0.1")]
    [InlineData("--target 127.0.0.1:0")]
    [InlineData("--target 127.0.0.1:7007 --bogus 1")]
    [InlineData("--target 127.0.0.1:7007 --connections 0")]
    [InlineData("--target 127.0.0.1:7007 --payload 9-3")]
    [InlineData("--target 127.0.0.1:7007 --payload 2000000")]
    [InlineData("--target 127.0.0.1:7007 --framing raw --payload 0")]
    [InlineData("--target 127.0.0.1:7007 --rate -5")]
    [InlineData("--target 127.0.0.1:7007 --duration soon")]
    [InlineData("--target 127.0.0.1:7007 --connect-mode sometimes")]
    [InlineData("--target 127.0.0.1:7007 --connect-mode per-request --pipeline 2")]
    [InlineData("--target 127.0.0.1:7007 --no-delay maybe")]
    [InlineData("--target 127.0.0.1:7007 --framing raw --split-writes")]
    [InlineData("--target 127.0.0.1:7007 --server-pid 2147483647")]
    [InlineData("--target 127.0.0.1:7007 --connections 15000 --idle-connections 15000")]
    [InlineData("--target 127.0.0.1:7007 --framing line --split-writes")]
    [InlineData("--target 127.0.0.1:7007 --idle-partial")]
    [InlineData("--target 127.0.0.1:7007 --idle-connections 3 --framing raw --idle-partial")]
    [InlineData("--target 127.0.0.1:7007 --transport quic")]
    [InlineData("--target 127.0.0.1:7007 --udp-receive-buffer 100")]
    [InlineData("--target 127.0.0.1:7007 --transport udp --payload 7")]
    [InlineData("--target 127.0.0.1:7007 --transport udp --payload 8-65508")]
    [InlineData("--target 127.0.0.1:7007 --transport udp --udp-receive-buffer 7")]
    [InlineData("--target 127.0.0.1:7007 --transport udp --udp-receive-buffer 65537")]
    public void A_bad_command_line_is_a_usage_error(string commandLine)
    {
        string[] args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var e = Assert.Throws<UsageException>(() => LoadCommandLine.Parse(args));
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Udp_takes_datagram_sizes_a_receive_buffer_and_a_loopback_timeout()
    {
        var options = LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--transport", "udp", "--payload", "8-65507", "--udp-receive-buffer", "512", "--rate", "1000", "--pipeline", "8"])!;

        Assert.Equal(Transport.Udp, options.Transport);
        Assert.Equal(new PayloadSize(8, 65_507), options.Payload);
        Assert.Equal(512, options.UdpReceiveBuffer);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.Timeout);
        Assert.Equal(8, options.Pipeline);
    }

    [Fact]
    public void Tcp_keeps_its_timeout_and_reads_whole_datagrams_by_default()
    {
        var tcp = LoadCommandLine.Parse(["--target", "127.0.0.1:7007"])!;
        var udp = LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--transport", "udp", "--timeout", "1s"])!;

        Assert.Equal(Transport.Tcp, tcp.Transport);
        Assert.Equal(TimeSpan.FromSeconds(5), tcp.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(1), udp.Timeout);
        Assert.Equal(UdpDatagram.MaxReceiveBuffer, udp.UdpReceiveBuffer);
    }

    [Theory]
    [InlineData("--framing raw", "--framing raw")]
    [InlineData("--framing line", "--framing line")]
    [InlineData("--connect-mode per-request", "--connect-mode per-request")]
    [InlineData("--idle-connections 3", "--idle-connections")]
    [InlineData("--split-writes", "--split-writes")]
    [InlineData("--no-delay false", "--no-delay false")]
    public void Tcp_only_options_are_refused_with_udp_in_one_line(string option, string named)
    {
        string[] args = ["--target", "127.0.0.1:7007", "--transport", "udp", .. option.Split(' ')];

        var e = Assert.Throws<UsageException>(() => LoadCommandLine.Parse(args));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not apply to --transport udp", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Idle_partial_is_a_switch_for_idle_connections_off_by_default()
    {
        var silent = LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--idle-connections", "3"])!;
        var slowloris = LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--idle-connections", "3", "--framing", "line", "--idle-partial"])!;

        Assert.False(silent.IdlePartial);
        Assert.True(slowloris.IdlePartial);
        Assert.Contains("--idle-partial", LoadCommandLine.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_framing_is_read_and_may_carry_empty_lines()
    {
        var options = LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--framing", "line", "--payload", "0"])!;

        Assert.Equal(Framing.Line, options.Framing);
        Assert.Equal(new PayloadSize(0, 0), options.Payload);
    }

    [Fact]
    public void The_usage_states_every_exit_code_and_the_real_thread_default()
    {
        foreach (string code in new[] { "0 ", "1 ", "2 ", "3 ", "4 ", "5 " })
        {
            Assert.Contains(code, LoadCommandLine.Usage[LoadCommandLine.Usage.IndexOf("exit codes:", StringComparison.Ordinal)..], StringComparison.Ordinal);
        }

        Assert.Contains("half the cores, at least 1", LoadCommandLine.Usage, StringComparison.Ordinal);
        Assert.DoesNotContain("at least 2", LoadCommandLine.Usage, StringComparison.Ordinal);
        var one = LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--connections", "1"])!;
        Assert.Equal(1, one.Threads);
    }
}
