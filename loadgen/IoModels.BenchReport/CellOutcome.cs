using System.Text.Json;

namespace IoModels.BenchReport;

/// <summary>What <c>run-bench.sh</c> wrote about one cell next to the load generator's report (<c>MODEL.outcome.json</c>).</summary>
internal sealed record CellOutcome(string Model, string Scenario, string Family, string? Variant, CellStatus Status, string Detail)
{
    public static CellOutcome Parse(JsonElement root, string source)
    {
        string Required(string name) => JsonPath.GetString(root, name) ?? throw new InvalidDataException($"{source}: '{name}' is missing");

        string statusName = Required("status");
        if (!CellStatusNames.TryParse(statusName, out var status))
        {
            throw new InvalidDataException($"{source}: status '{statusName}' is not one of {string.Join(", ", CellStatusNames.Names)}");
        }

        string scenario = Required("scenario");
        return new CellOutcome(
            Required("model"),
            scenario,
            JsonPath.GetString(root, "family") ?? scenario,
            JsonPath.GetString(root, "variant") is { Length: > 0 } variant ? variant : null,
            status,
            JsonPath.GetString(root, "detail") ?? "");
    }
}
