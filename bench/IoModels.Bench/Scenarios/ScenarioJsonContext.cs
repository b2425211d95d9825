using System.Text.Json.Serialization;

namespace IoModels.Bench.Scenarios;

/// <summary>
/// Source-generated reading of <c>bench/scenarios.json</c>. Strict on purpose: an unknown key or a missing
/// required one is a mistake in the file, reported at once instead of silently running another matrix.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(KebabCaseEnumConverter<ScoreMetric>), typeof(KebabCaseEnumConverter<ChartKind>), typeof(KebabCaseEnumConverter<ScenarioTable>), typeof(KebabCaseEnumConverter<ScenarioColumn>)],
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ScenarioFile))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;
