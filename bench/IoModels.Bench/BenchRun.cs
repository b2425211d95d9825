using System.Globalization;
using System.Text.Json;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench;

/// <summary>
/// One <c>bench-results/STAMP/</c> folder: <c>manifest.json</c> and, under <c>cells/SCENARIO/</c>, per model
/// <c>MODEL.outcome.json</c> (written by the runner), <c>MODEL.json</c> (the load generator's
/// report) and <c>MODEL.hgrm</c> (its latency distribution).
/// </summary>
internal sealed class BenchRun
{
    public const string ReferenceModel = "reference";
    public const string ManifestFile = "manifest.json";
    public const string CellsFolder = "cells";
    public const string OutcomeSuffix = ".outcome.json";

    private BenchRun(string directory, ScenarioFile catalog, JsonElement manifest, IReadOnlyList<BenchCell> cells)
    {
        Directory = directory;
        Catalog = catalog;
        Manifest = manifest;
        Cells = cells;
        Models = OrderModels(manifest, cells);
    }

    public string Directory { get; }

    /// <summary>The scenario file that names, orders, scores and draws the run's scenarios.</summary>
    public ScenarioFile Catalog { get; }

    /// <summary>The run's environment and options, shown as written.</summary>
    public JsonElement Manifest { get; }

    public IReadOnlyList<BenchCell> Cells { get; }

    /// <summary>Scenarios in summary order: by family as the scenario file lists them, then by numeric variant, then by name.</summary>
    public IReadOnlyList<string> Scenarios => Cells
        .Select(cell => cell.Outcome)
        .DistinctBy(outcome => outcome.Scenario)
        .OrderBy(outcome => Catalog.OrderOf(outcome.Family))
        .ThenBy(outcome => outcome.Family, StringComparer.Ordinal)
        .ThenBy(outcome => double.TryParse(outcome.Variant, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ? number : double.MaxValue)
        .ThenBy(outcome => outcome.Scenario, StringComparer.Ordinal)
        .Select(outcome => outcome.Scenario)
        .ToList();

    /// <summary>
    /// <c>reference</c> first, then the models in the order the manifest lists them (the run's order), so
    /// rows and colours stay put from table to table and chart to chart.
    /// </summary>
    public IReadOnlyList<string> Models { get; }

    public BenchCell? Find(string scenario, string model) => Cells.FirstOrDefault(cell => cell.Scenario == scenario && cell.Model == model);

    /// <summary>The cells of one scenario, in <see cref="Models"/> order.</summary>
    public IEnumerable<BenchCell> InScenario(string scenario) => Cells.Where(cell => cell.Scenario == scenario).OrderBy(cell => IndexOf(cell.Model));

    private int IndexOf(string model)
    {
        for (int i = 0; i < Models.Count; i++)
        {
            if (Models[i] == model)
            {
                return i;
            }
        }

        return Models.Count;
    }

    private static List<string> OrderModels(JsonElement manifest, IEnumerable<BenchCell> cells)
    {
        var listed = JsonPath.Find(manifest, "models") is { ValueKind: JsonValueKind.Array } models
            ? models.EnumerateArray().Select(model => model.GetString() ?? "")
            : [];
        return cells.Select(cell => cell.Model)
            .Distinct()
            .OrderBy(model => model == ReferenceModel ? 0 : 1)
            .ThenBy(model => listed.Contains(model) ? listed.TakeWhile(other => other != model).Count() : int.MaxValue)
            .ToList();
    }

    /// <summary>The cell's score over <c>reference</c>'s in the same scenario of the same run: machine speed cancels out.</summary>
    public double? RatioToReference(BenchCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var metric = Catalog.Find(cell.Outcome.Family)?.Metric ?? ScoreMetric.Throughput;
        return cell.Score(metric) is double score && Find(cell.Scenario, ReferenceModel)?.Score(metric) is double reference
            ? score / reference
            : null;
    }

    public static BenchRun Load(string directory, ScenarioFile catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"no run folder at '{directory}'");
        }

        string manifestPath = Path.Combine(directory, ManifestFile);
        var manifest = File.Exists(manifestPath) ? ReadJson(manifestPath) : default;
        string cellsPath = Path.Combine(directory, CellsFolder);
        var cells = System.IO.Directory.Exists(cellsPath)
            ? System.IO.Directory.EnumerateFiles(cellsPath, "*" + OutcomeSuffix, SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(LoadCell)
                .ToList()
            : [];
        return new BenchRun(directory, catalog, manifest, cells);
    }

    private static BenchCell LoadCell(string outcomePath)
    {
        var outcome = ReadOutcome(outcomePath);
        string stem = outcomePath[..^OutcomeSuffix.Length];
        string reportPath = stem + ".json";
        var report = File.Exists(reportPath) ? LoadReport.Parse(ReadJson(reportPath)) : null;
        string hgrmPath = stem + ".hgrm";
        IReadOnlyList<PercentilePoint> latency = [];
        if (File.Exists(hgrmPath))
        {
            using var reader = File.OpenText(hgrmPath);
            latency = HgrmReader.Parse(reader);
        }

        if (latency.Count == 0 && report is not null)
        {
            latency = report.ReportedPercentiles();
        }
        else if (report?.P50Micros is double p50 && latency.FirstOrDefault(point => point.Percentile >= 50) is { Micros: > 0 } median
            && p50 / median.Micros is > 300 and < 3000)
        {
            // An .hgrm file names no unit, and HdrHistogram tools commonly print milliseconds; the report's
            // own median, in microseconds, tells which this one used.
            latency = latency.Select(point => point with { Micros = point.Micros * 1000 }).ToList();
        }

        return new BenchCell(outcome, report, latency);
    }

    private static CellOutcome ReadOutcome(string path)
    {
        CellOutcome? outcome;
        try
        {
            outcome = JsonSerializer.Deserialize(File.ReadAllBytes(path), RunJsonContext.Default.CellOutcome);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a cell outcome ({e.Message})", e);
        }

        if (outcome is null || string.IsNullOrEmpty(outcome.Model) || string.IsNullOrEmpty(outcome.Scenario))
        {
            throw new InvalidDataException($"{path}: 'model' or 'scenario' is missing");
        }

        // Older runs wrote an empty variant for "none", and some no family.
        return outcome with
        {
            Family = string.IsNullOrEmpty(outcome.Family) ? outcome.Scenario : outcome.Family,
            Variant = string.IsNullOrEmpty(outcome.Variant) ? null : outcome.Variant,
            Detail = outcome.Detail ?? "",
        };
    }

    private static JsonElement ReadJson(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
    }
}
