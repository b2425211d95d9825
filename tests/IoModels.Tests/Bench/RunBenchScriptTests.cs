namespace IoModels.Tests.Bench;

/// <summary><c>run-bench.sh</c> (a wrapper that builds the bench tool and hands it the command line) refuses a bad command line before it builds the solution or starts anything.</summary>
public sealed class RunBenchScriptTests
{
    [Theory]
    [InlineData("--bogus")]
    [InlineData("--warmup", "soon")]
    [InlineData("--ci", "nightly")]
    [InlineData("--scenarios", "pingpong,marathon")]
    [InlineData("--placement", "everywhere")]
    [InlineData("--threshold", "ten")]
    [InlineData("--compare", "/nonexistent/iomodels-baseline")]
    [InlineData("--out")]
    public async Task A_bad_option_is_one_line_on_stderr_and_exit_2(params string[] arguments)
    {
        var result = await ToolProcess.RunAsync(Path.Combine(RepositoryRoot(), "run-bench.sh"), arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("run-bench.sh: ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_already_holds_a_run_is_refused()
    {
        using var run = new RunFolder().AddCell("pingpong", "reference", 1);

        var result = await ToolProcess.RunAsync(Path.Combine(RepositoryRoot(), "run-bench.sh"), ["--out", run.Path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already holds a run", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_options_and_exits_0()
    {
        var result = await ToolProcess.RunAsync(Path.Combine(RepositoryRoot(), "run-bench.sh"), ["--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--quick", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--compare", result.StandardOutput, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IoModels.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("IoModels.sln not found above " + AppContext.BaseDirectory);
    }
}
