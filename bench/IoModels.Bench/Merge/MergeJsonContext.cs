using System.Text.Json.Serialization;

namespace IoModels.Bench.Merge;

/// <summary>Source-generated JSON for the merge: camelCase keys as the load generator's report (docs/report.md).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(InputReport))]
[JsonSerializable(typeof(MergedReport))]
public sealed partial class MergeJsonContext : JsonSerializerContext;
