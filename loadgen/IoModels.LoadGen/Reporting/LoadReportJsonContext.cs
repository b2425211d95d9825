using System.Text.Json.Serialization;

namespace IoModels.LoadGen.Reporting;

/// <summary>Source-generated JSON for the report: camelCase keys as docs/report.md lists them, absent sections left out rather than null.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(LoadReport))]
public sealed partial class LoadReportJsonContext : JsonSerializerContext;
