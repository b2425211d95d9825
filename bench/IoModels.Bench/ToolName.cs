namespace IoModels.Bench;

/// <summary>The name a message starts with: <c>run-bench.sh</c> when the wrapper started the tool (it says so in IOMODELS_BENCH_NAME), else the tool's own.</summary>
internal static class ToolName
{
    public static string Current => Environment.GetEnvironmentVariable("IOMODELS_BENCH_NAME") is { Length: > 0 } name ? name : "IoModels.Bench";
}
