using IoModels.Protocol;
using IoModels.Protocol.CommandLine;
using IoModels.Server.Models;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Host;

/// <summary>The server's command line (docs/server.md): a user's mistake is one line on stderr and exit code 2.</summary>
public sealed class CommandLineTests
{
    private static readonly string s_models = string.Join(", ", ServerModelCatalog.Names);

    public static TheoryData<string[], string> Mistakes => new()
    {
        { [], $"'--model' is required; valid values: {s_models}" },
        { ["--model", "kqueue"], $"'kqueue' is not valid; valid values: {s_models}" },
        { ["--model", "select", "--port", "70000"], "'70000' is not a whole number from 0 to 65535" },
        { ["--model", "select", "--port", "http"], "'http' is not a whole number from 0 to 65535" },
        { ["--model", "select", "--framing", "json"], "valid values: framed, line, raw" },
        { ["--model", "select", "--idle-timeout", "soon"], "option '--idle-timeout': 'soon' is not a duration" },
        { ["--model", "select", "--idle-timeout", "25h"], "option '--idle-timeout': '25h' is longer than 24h; use 0 to turn it off" },
        { ["--model", "select", "--close-after", "many"], "option '--close-after': 'many' is not a whole number from 0 to 2147483647" },
        { ["--model", "select", "--close-after", "1", "--framing", "raw"], "option '--close-after' counts messages, and --framing raw has none" },
        { ["--model", "epoll-et", "--transport", "udp", "--idle-timeout", "0"], "option '--idle-timeout' does not apply to --transport udp" },
        { ["--model", "epoll-et", "--transport", "udp", "--framing", "line"], "--framing line does not apply to --transport udp" },
        { ["--model", "select", "--no-delay", "maybe"], "valid values: true, false" },
        { ["--model", "select", "--address", "localhost:1"], "is not an IP address" },
        { ["--model", "select", "--max-frame", "-1"], "'-1' is not a whole number" },
        { ["--model", "select", "--verbose"], "unknown option '--verbose'" },
        { ["--model", "select", "--port"], "option '--port' needs a value" },
        { ["--model", "select", "--model", "blocking"], "is given twice" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_is_one_line_on_stderr_and_exit_2(string[] arguments, string expected)
    {
        using var server = ServerProcess.Start(arguments);

        Assert.Equal(2, await server.WaitForExitAsync(Timeouts.Operation));
        await Eventually.AssertAsync(() => server.StandardError.Contains('\n', StringComparison.Ordinal), "the error line");
        string error = server.StandardError.TrimEnd();
        Assert.StartsWith("IoModels.Server: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("10s", 10)]
    [InlineData("2m", 120)]
    [InlineData("1.5", 1.5)]
    [InlineData("0", 0)]
    public void Durations_take_a_unit_or_a_bare_number_of_seconds(string text, double seconds)
    {
        Assert.True(DurationParser.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ten")]
    [InlineData("-1s")]
    [InlineData("5x")]
    [InlineData("NaN")]
    public void Bad_durations_are_refused(string text) => Assert.False(DurationParser.TryParse(text, out _));

    [Fact]
    public void The_shared_server_options_have_the_documented_defaults_and_read_every_value()
    {
        var defaults = TcpServerCommandLine.Read(OptionReader.Parse([], TcpServerCommandLine.Options, TcpServerCommandLine.Switches));
        Assert.Equal((Framing.Framed, TimeSpan.FromMinutes(2), 0), (defaults.Framing, defaults.IdleTimeout, defaults.CloseAfter));

        var given = TcpServerCommandLine.Read(OptionReader.Parse(["--framing", "line", "--idle-timeout", "300ms", "--close-after", "1"], TcpServerCommandLine.Options, TcpServerCommandLine.Switches));
        Assert.Equal((Framing.Line, TimeSpan.FromMilliseconds(300), 1), (given.Framing, given.IdleTimeout, given.CloseAfter));
        Assert.Equal(TimeSpan.Zero, TcpServerCommandLine.Read(OptionReader.Parse(["--idle-timeout", "0"], TcpServerCommandLine.Options, TcpServerCommandLine.Switches)).IdleTimeout);
    }

    [Fact]
    public void Switches_stand_alone_or_take_a_value()
    {
        var reader = OptionReader.Parse(["--no-delay", "--port", "5", "--framing=raw"], ["--no-delay", "--port", "--framing"], ["--no-delay"]);
        Assert.True(reader.GetBoolean("--no-delay", false));
        Assert.Equal(5, reader.GetInt32("--port", 0, 0, 10));
        Assert.Equal("raw", reader.GetString("--framing"));
    }
}
