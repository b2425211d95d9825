using IoModels.Bench;

namespace IoModels.Tests.Bench;

public sealed class SummaryWriterTests
{
    private static readonly byte[] s_pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    [Fact]
    public void The_summary_has_a_table_per_scenario_with_the_ratio_to_reference()
    {
        using var run = new RunFolder()
            .AddCell("throughput", "reference", 200_000, p99Micros: 400)
            .AddCell("throughput", "select", 100_000, p99Micros: 900)
            .AddEmptyCell("throughput", "saea", "not-available", "the server does not know this model");

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("## Throughput (`throughput`)", summary, StringComparison.Ordinal);
        Assert.Contains("| select | ok | 100.0 k | 6.5 | 225 µs | 900 µs | 1.8 ms | 9.0 ms | 5.00 | 50 | 7 | 0.50× |", summary, StringComparison.Ordinal);
        Assert.Contains("| reference | ok | 200.0 k |", summary, StringComparison.Ordinal);
        Assert.Contains("- `saea`: not-available (the server does not know this model)", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("| saea |", summary, StringComparison.Ordinal);
        Assert.Contains("| placement | server on CPU 0, load generator on CPU 1 (taskset) |", summary, StringComparison.Ordinal);
        Assert.Equal(summary, File.ReadAllText(Path.Combine(run.Path, SummaryWriter.SummaryFile)));
    }

    [Fact]
    public void A_failure_is_listed_at_the_top()
    {
        using var run = new RunFolder()
            .AddCell("pingpong", "reference", 20_000)
            .AddCell("pingpong", "blocking", 15_000, mismatches: 2)
            .AddEmptyCell("pingpong", "select", "crashed", "server exited with 139 before SIGTERM");

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("**Correctness: 2 failed cell(s).**", summary, StringComparison.Ordinal);
        Assert.Contains("- `blocking` × `pingpong`: **mismatch**", summary, StringComparison.Ordinal);
        Assert.Contains("- `select` × `pingpong`: **crashed** server exited with 139 before SIGTERM", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Charts_are_written_as_png_files_next_to_the_summary_and_linked_from_it()
    {
        using var run = new RunFolder()
            .AddCell("pingpong", "reference", 20_000, p99Micros: 80)
            .AddCell("pingpong", "select", 15_000, p99Micros: 120)
            .AddCell("idle-scale-0", "reference", 100_000, family: "idle-scale", variant: "0")
            .AddCell("idle-scale-0", "select", 90_000, family: "idle-scale", variant: "0")
            .AddCell("idle-scale-5000", "reference", 100_000, family: "idle-scale", variant: "5000")
            .AddCell("idle-scale-5000", "select", 20_000, family: "idle-scale", variant: "5000");
        run.AddHistogram("pingpong", "select", (30, 0.0), (45, 0.5), (60, 0.9), (120, 0.99), (400, 0.999), (900, 1.0));

        string summary = SummaryWriter.Write(run.Load());

        string[] charts = ["chart-ratio-to-reference.png", "chart-throughput-pingpong.png", "chart-latency-pingpong.png", "chart-idle-scale.png", "chart-throughput-idle-scale-5000.png"];
        foreach (string chart in charts)
        {
            Assert.Contains($"]({chart})", summary, StringComparison.Ordinal);
            byte[] bytes = File.ReadAllBytes(Path.Combine(run.Path, chart));
            Assert.True(bytes.Length > 1000, $"{chart} is {bytes.Length} bytes");
            Assert.Equal(s_pngSignature, bytes[..4]);
        }
    }

    [Fact]
    public void Latency_from_an_hgrm_in_milliseconds_is_read_as_microseconds()
    {
        using var run = new RunFolder().AddCell("pingpong", "reference", 20_000, p99Micros: 200);
        run.AddHistogram("pingpong", "reference", (0.030, 0.0), (0.050, 0.5), (0.200, 0.99), (0.900, 1.0));

        var latency = Assert.Single(run.Load().Cells).Latency;

        Assert.Equal([30.0, 50, 200, 900], latency.Select(point => Math.Round(point.Micros, 3)));
    }

    [Fact]
    public void Idle_scale_and_nagle_get_the_table_their_claim_is_about()
    {
        using var run = new RunFolder()
            .AddCell("idle-scale-0", "select", 20_000, family: "idle-scale", variant: "0")
            .AddCell("idle-scale-5000", "select", 1_000, family: "idle-scale", variant: "5000")
            .AddCell("nagle-nodelay-off", "select", 22, p99Micros: 160_000, family: "nagle", variant: "no-delay false")
            .AddCell("nagle-nodelay-on", "select", 3_000, p99Micros: 160, family: "nagle", variant: "no-delay true");

        string summary = SummaryWriter.Write(run.Load());

        Assert.Contains("| select | 20.0 k | 1.0 k | 5% |", summary, StringComparison.Ordinal);
        Assert.Contains("| select | 40 ms | 40 µs | 22 | 3.0 k |", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_follow_the_manifest_order_with_reference_first()
    {
        using var run = new RunFolder()
            .AddCell("throughput", "select", 1)
            .AddCell("throughput", "blocking", 1)
            .AddCell("throughput", "reference", 1);
        string manifest = Path.Combine(run.Path, BenchRun.ManifestFile);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"dirty\": false,", "\"dirty\": false, \"models\": [\"blocking\", \"select\", \"reference\"],", StringComparison.Ordinal));

        var loaded = run.Load();

        Assert.Equal(["reference", "blocking", "select"], loaded.Models);
        Assert.Equal(["reference", "blocking", "select"], loaded.InScenario("throughput").Select(cell => cell.Model));
    }

    [Fact]
    public void Idle_scale_variants_sort_by_their_number()
    {
        using var run = new RunFolder()
            .AddCell("idle-scale-5000", "reference", 1, family: "idle-scale", variant: "5000")
            .AddCell("idle-scale-1000", "reference", 1, family: "idle-scale", variant: "1000")
            .AddCell("throughput", "reference", 1)
            .AddCell("idle-scale-0", "reference", 1, family: "idle-scale", variant: "0");

        Assert.Equal(["throughput", "idle-scale-0", "idle-scale-1000", "idle-scale-5000"], run.Load().Scenarios);
    }
}
