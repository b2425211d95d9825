using System.Text.Json;

namespace IoModels.Bench;

/// <summary>
/// Dotted-path lookups in a JSON document (<c>throughput.messagesPerSecond</c>). Reports may gain
/// keys over time and older runs may lack some: every lookup is optional rather than a schema bind.
/// </summary>
internal static class JsonPath
{
    public static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (string part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    public static double? GetDouble(JsonElement root, string path) =>
        Find(root, path) is { ValueKind: JsonValueKind.Number } number ? number.GetDouble() : null;

    public static long? GetInt64(JsonElement root, string path) =>
        Find(root, path) is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out long value) ? value : null;

    public static string? GetString(JsonElement root, string path) => Find(root, path) switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } other => other.GetRawText(),
        _ => null,
    };
}
