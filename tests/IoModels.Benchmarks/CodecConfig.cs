using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;

namespace IoModels.Benchmarks;

/// <summary>
/// As dotnet/performance's RecommendedConfig: allocations (a hot path must show 0 B), median, min and max
/// beside the mean, and results as JSON (for tools) and GitHub markdown (for bench-results/microbench).
/// </summary>
public sealed class CodecConfig : ManualConfig
{
    public CodecConfig()
    {
        // Start from the defaults (console logger, validators, the standard columns) and add to them.
        Add(DefaultConfig.Instance);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        // The defaults already export GitHub markdown (and CSV, HTML); JSON is added for tools.
        AddExporter(JsonExporter.Full);
    }
}
