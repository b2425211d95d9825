namespace IoModels.Tests.Bench;

/// <summary>The tool's exit codes, which CI depends on: 0 passed, 1 regression or correctness failure, 2 a user's mistake.</summary>
public sealed class BenchCommandLineTests
{
    [Fact]
    public async Task Compare_exits_1_on_a_regression_and_prints_the_table()
    {
        using var baseline = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 100_000);
        using var current = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 40_000);

        var result = await ToolProcess.BenchAsync("compare", baseline.Path, current.Path, "--threshold", "50");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("| throughput | select | 0.50× | 0.20× | -60.0% | **regression** |", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_exits_0_within_the_threshold_and_appends_the_table_to_a_markdown_file()
    {
        using var baseline = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 100_000);
        using var current = new RunFolder()
            .AddCell("throughput", "reference", 200_000)
            .AddCell("throughput", "select", 60_000);
        string markdown = Path.Combine(current.Path, "compare.md");

        var result = await ToolProcess.BenchAsync("compare", baseline.Path, current.Path, "--threshold", "50", "--markdown", markdown);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("| throughput | select | 0.50× | 0.30× | -40.0% |  |", File.ReadAllText(markdown), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compare", "/nonexistent/iomodels-a", "/nonexistent/iomodels-b")]
    [InlineData("summarize")]
    [InlineData("frobnicate", "x")]
    public async Task A_mistake_is_one_line_on_stderr_and_exit_2(params string[] arguments)
    {
        var result = await ToolProcess.BenchAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("IoModels.Bench: ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_threshold_is_exit_2()
    {
        using var run = new RunFolder().AddCell("pingpong", "reference", 1);

        var result = await ToolProcess.BenchAsync("compare", run.Path, run.Path, "--threshold", "lots");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--threshold", result.StandardError, StringComparison.Ordinal);
    }
}
