using System.Text.Json;
using IoModels.LoadGen.Reporting;

namespace IoModels.Tests.LoadGen;

/// <summary>
/// The summary's line for a UDP open loop whose load generator fell behind its timetable, on a real report of one
/// (udp-open-loop-report.json, an epoll-lt cell of udp-overload) with its two latency means set by hand.
/// </summary>
public sealed class GeneratorLagWarningTests
{
    private const string Warning = "the load generator fell behind its timetable";

    [Fact]
    public void A_mean_lag_over_a_millisecond_is_reported_with_its_size()
    {
        string summary = Summary(WithMeans(Report(), corrected: 3_500, uncorrected: 1_000));

        Assert.Contains(Warning, summary, StringComparison.Ordinal);
        Assert.Contains("went out 2.5 ms after they were due on average", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mean_lag_under_a_millisecond_is_not()
    {
        Assert.DoesNotContain(Warning, Summary(WithMeans(Report(), corrected: 1_900, uncorrected: 1_000)), StringComparison.Ordinal);
    }

    [Fact]
    public void Over_tcp_the_lag_is_the_servers_push_back_and_not_reported()
    {
        var tcp = WithMeans(Report(), corrected: 900_000, uncorrected: 1_000) with { Udp = null };

        Assert.DoesNotContain(Warning, Summary(tcp), StringComparison.Ordinal);
    }

    private static LoadReport Report()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "LoadGen", "udp-open-loop-report.json");
        return JsonSerializer.Deserialize(File.ReadAllBytes(path), LoadReportJsonContext.Default.LoadReport)
            ?? throw new InvalidDataException($"{path} holds no report");
    }

    private static LoadReport WithMeans(LoadReport report, double corrected, double uncorrected) => report with
    {
        LatencyMicros = report.LatencyMicros with { Mean = corrected },
        UncorrectedLatencyMicros = report.UncorrectedLatencyMicros! with { Mean = uncorrected },
    };

    private static string Summary(LoadReport report)
    {
        var writer = new StringWriter();
        SummaryWriter.Write(writer, report);
        return writer.ToString();
    }
}
