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
    public void A_bad_command_line_is_a_usage_error(string commandLine)
    {
        string[] args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var e = Assert.Throws<UsageException>(() => LoadCommandLine.Parse(args));
        Assert.DoesNotContain('\n', e.Message);
    }
}
