using System.Text.Json.Serialization;

namespace IoModels.Bench;

/// <summary>
/// Source-generated JSON for what a run writes and reads back: the manifest and the cells' outcomes.
/// Reading is lenient about keys a later version added, so older run folders stay readable.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(KebabCaseEnumConverter<CellStatus>)],
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CellOutcome))]
[JsonSerializable(typeof(Running.RunManifest))]
internal sealed partial class RunJsonContext : JsonSerializerContext;
