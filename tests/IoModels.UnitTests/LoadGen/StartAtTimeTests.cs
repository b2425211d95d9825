using IoModels.LoadGen.Options;
using IoModels.Protocol.CommandLine;

namespace IoModels.Tests.LoadGen;

public sealed class StartAtTimeTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-12-01T23:50:00Z")]
    [InlineData("2026-12-01T23:50:00.000Z")]
    [InlineData("2026-12-02T00:50:00+01:00")]
    [InlineData("2026-12-01T23:50:00")]
    [InlineData("2026-12-01T23:50Z")]
    public void Iso_8601_times_are_read_as_utc(string text)
    {
        var time = StartAtTime.Parse(text, s_now);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 23, 50, 0, TimeSpan.Zero), time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Theory]
    [InlineData("2026-12-01T22:59:59Z")]
    [InlineData("2026-12-01T23:00:00Z")]
    public void A_time_not_in_the_future_is_a_usage_error(string text)
    {
        var e = Assert.Throws<UsageException>(() => StartAtTime.Parse(text, s_now));
        Assert.Contains("not in the future", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("12/01/2026 23:50")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("")]
    public void Text_that_is_not_an_iso_time_is_a_usage_error(string text)
    {
        var e = Assert.Throws<UsageException>(() => StartAtTime.Parse(text, s_now));
        Assert.Contains("--start-at", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_line_reads_start_at_interval_and_derives_the_hlog_path()
    {
        var at = DateTimeOffset.UtcNow.AddHours(1);
        var options = LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--start-at", at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), "--interval", "250ms", "--json", Path.Combine(Path.GetTempPath(), "run.json")])!;

        Assert.Equal(at.ToUnixTimeSeconds(), options.StartAt!.Value.ToUnixTimeSeconds());
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Interval);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "run.hlog"), options.HlogPath);
    }

    [Fact]
    public void Command_line_refuses_a_past_start_and_an_hlog_without_interval()
    {
        Assert.Throws<UsageException>(() => LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--start-at", "2020-01-01T00:00:00Z"]));
        Assert.Throws<UsageException>(() => LoadCommandLine.Parse(["--target", "127.0.0.1:7007", "--hlog", "x.hlog"]));
    }
}
