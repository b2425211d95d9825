using System.Globalization;

namespace IoModels.Protocol.CommandLine;

/// <summary>Durations as docs/cli.md#durations writes them: <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>, or a bare number of seconds.</summary>
public static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        (string number, double unitSeconds) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ when text.EndsWith('h') => (text[..^1], 3600.0),
            _ => (text, 1.0),
        };

        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || amount < 0 || !double.IsFinite(amount) || amount * unitSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * unitSeconds);
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalSeconds >= 1 || value == TimeSpan.Zero
            ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.###}s")
            : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.###}ms");
}
