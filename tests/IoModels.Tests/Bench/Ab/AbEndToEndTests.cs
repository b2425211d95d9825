using IoModels.Bench.Ab;

namespace IoModels.Tests.Bench.Ab;

/// <summary>
/// The whole ab path on a throwaway repository against its own HEAD: both sides built, the runner made from their
/// servers, every cell run interleaved, ab.md written. The runner is a fake; the bench tool's adapter is tested with it.
/// </summary>
public sealed class AbEndToEndTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "iomodels-ab-e2e-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task HeadAgainstItselfBuildsBothSidesRunsEveryCellAndPasses()
    {
        var repository = await TempRepository.CreateAsync(Path.Combine(_root, "repo"), TempRepository.TinyServer);
        var output = Path.Combine(_root, "out");
        AbBuilds? seen = null;
        FakeCellRunner? runner = null;
        var request = new AbRequest(repository, "HEAD", new AbPlan(null, [], AbCommand.MinimumRounds), new AbStatisticsOptions(), output);
        using var console = new StringWriter();

        var exit = await AbCommand.RunAsync(
            request,
            builds =>
            {
                seen = builds;
                return runner = new FakeCellRunner(["poll", "select"], ["poll", "uring"], 100_000, 100_000);
            },
            console,
            CancellationToken.None);

        Assert.Equal(AbGate.Passed, exit);
        Assert.NotNull(seen);
        Assert.Equal(Path.Combine(repository, "old", "IoModels.Server", "bin", "Release", "net10.0", "IoModels.Server.dll"), seen.TreeServer);
        Assert.NotEqual(seen.TreeServer, seen.RefServer);
        Assert.False(File.Exists(seen.RefServer), "the ref's worktree is gone once ab is done");
        Assert.Equal(2 * AbCommand.MinimumRounds, runner!.Runs.Count);
        Assert.All(runner.Runs, run => Assert.Equal(("poll", "echo"), (run.Model, run.Scenario)));
        var document = await File.ReadAllTextAsync(Path.Combine(output, "ab.md"));
        Assert.Contains("| poll / echo | 5 |", document, StringComparison.Ordinal);
        Assert.Contains("| select / echo | 0 | - | - | - | - | removed |", document, StringComparison.Ordinal);
        Assert.Contains("| uring / echo | 0 | - | - | - | - | new |", document, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(output, "build-*.log").Length);
    }
}
