using System.Globalization;

namespace IoModels.LoadGen.Options;

/// <summary>Payload bytes per message: one size, or a <c>MIN-MAX</c> range drawn uniformly per message.</summary>
public readonly record struct PayloadSize(int Min, int Max)
{
    public bool IsRange => Min != Max;

    public static bool TryParse(string text, int limit, out PayloadSize size)
    {
        ArgumentNullException.ThrowIfNull(text);
        size = default;
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        string minText = dash < 0 ? text : text[..dash];
        string maxText = dash < 0 ? text : text[(dash + 1)..];
        if (!int.TryParse(minText, NumberStyles.None, CultureInfo.InvariantCulture, out int min)
            || !int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out int max)
            || min > max || max > limit)
        {
            return false;
        }

        size = new PayloadSize(min, max);
        return true;
    }

    public override string ToString() => IsRange
        ? string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}")
        : Min.ToString(CultureInfo.InvariantCulture);
}
