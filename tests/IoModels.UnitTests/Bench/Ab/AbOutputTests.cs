using IoModels.Bench.Ab;

namespace IoModels.Tests.Bench.Ab;

public sealed class AbOutputTests : IDisposable
{
    private static readonly AbStatisticsOptions s_options = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "iomodels-ab-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void TheTableHasARowPerCellWithRatiosIntervalsPValuesAndVerdicts()
    {
        var table = AbMarkdown.Table(Results());
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("| cell | rounds | msg/s B/A [CI] | p | CPU/msg B/A [CI] | p | verdict |", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^\| poll / echo \| 6 \| 0\.8\d\d \[0\.\d{3}, 0\.\d{3}\] \| 0\.\d{3} \| 1\.\d{3} \[\d\.\d{3}, \d\.\d{3}\] \| 0\.\d{3} \| slower \|$", lines[2]);
        Assert.Equal("| uring / echo | 0 | - | - | - | - | new |", lines[3]);
        Assert.Equal("| select / echo | 0 | - | - | - | - | removed |", lines[4]);
    }

    [Fact]
    public async Task WriteAsyncWritesAbMdAndTheChartPrintsTheTableAndReturnsTheGate()
    {
        using var console = new StringWriter();
        var results = Results();
        var exit = await AbCommand.WriteAsync(new AbBuilds("v1", "a.dll", "b.dll"), s_options, results, _folder, console, CancellationToken.None);

        Assert.Equal(AbGate.Regressed, exit);
        var document = await File.ReadAllTextAsync(Path.Combine(_folder, "ab.md"));
        Assert.StartsWith("# A/B: v1 (A) against this tree (B)", document, StringComparison.Ordinal);
        Assert.Contains(AbMarkdown.Table(results), document, StringComparison.Ordinal);
        Assert.Contains("(ab.png)", document, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(_folder, "ab.png")).Length > 0);
        Assert.Contains(AbMarkdown.Table(results), console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyOneSidedCellsWriteNoChartAndPass()
    {
        using var console = new StringWriter();
        AbCellResult[] results = [AbCellComparer.OneSided("uring", "echo", AbSide.B)];
        var exit = await AbCommand.WriteAsync(new AbBuilds("v1", "a.dll", "b.dll"), s_options, results, _folder, console, CancellationToken.None);

        Assert.Equal(AbGate.Passed, exit);
        Assert.False(File.Exists(Path.Combine(_folder, "ab.png")));
        Assert.DoesNotContain("ab.png", await File.ReadAllTextAsync(Path.Combine(_folder, "ab.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void FailedRunsAreListedByCellRoundAndSide()
    {
        AbSample[] a = [new(1000, null), new(1000, null)];
        AbSample[] b = [new(1000, null), AbSample.Failed("crashed")];
        var failed = AbCellComparer.Compare("poll", "echo", a, b, s_options);
        var document = AbMarkdown.Document(new AbBuilds("v1", "a.dll", "b.dll"), s_options, [failed], hasChart: false);

        Assert.Contains("| poll / echo | 2 | - | - | - | - | failed |", document, StringComparison.Ordinal);
        Assert.Contains("- poll / echo, round 2, B: crashed", document, StringComparison.Ordinal);
    }

    [Fact]
    public void FasterAndUnchangedCellsPassTheGate()
    {
        AbCellResult[] results =
        [
            Cell("poll", 1000, 1300),
            Cell("select", 1000, 1000),
            AbCellComparer.OneSided("uring", "echo", AbSide.B),
            AbCellComparer.OneSided("blocking", "echo", AbSide.A),
        ];
        Assert.Equal([AbVerdict.Faster, AbVerdict.Same], results.Take(2).Select(r => r.Verdict));
        Assert.Equal(AbGate.Passed, AbGate.ExitCode(results));
    }

    private static AbCellResult[] Results() =>
    [
        Cell("poll", 1000, 850),
        AbCellComparer.OneSided("uring", "echo", AbSide.B),
        AbCellComparer.OneSided("select", "echo", AbSide.A),
    ];

    private static AbCellResult Cell(string model, double rateA, double rateB)
    {
        var random = new Random(42);
        AbSample[] a = [.. SyntheticRounds.Rates(random, 6, rateA, 0.01).Select(rate => new AbSample(rate, 1 / rate))];
        AbSample[] b = [.. SyntheticRounds.Rates(random, 6, rateB, 0.01).Select(rate => new AbSample(rate, 1 / rate))];
        return AbCellComparer.Compare(model, "echo", a, b, s_options);
    }
}
