using System.Globalization;

namespace IoModels.Bench;

/// <summary>Numbers as the summary prints them: few significant digits, units a reader knows, a dash for "not measured".</summary>
internal static class MetricFormat
{
    public const string None = "–";

    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1e6 => Invariant($"{perSecond / 1e6:0.00} M"),
        >= 1e3 => Invariant($"{perSecond / 1e3:0.0} k"),
        _ => Invariant($"{perSecond:0}"),
    };

    public static string Bandwidth(double bytesPerSecond) => Invariant($"{bytesPerSecond / (1024 * 1024):0.0}");

    public static string Micros(double? micros) => micros switch
    {
        null => None,
        >= 10_000 => Invariant($"{micros / 1000:0} ms"),
        >= 1000 => Invariant($"{micros / 1000:0.0} ms"),
        _ => Invariant($"{micros:0} µs"),
    };

    public static string Seconds(double? seconds) => seconds is double value ? Invariant($"{value:0.00}") : None;

    public static string Mebibytes(long? bytes) => bytes is long value ? Invariant($"{value / (1024.0 * 1024):0}") : None;

    /// <summary>A count with thousands separators (1,601), for counts a reader compares with 1,024.</summary>
    public static string Thousands(long? count) => count is long value ? value.ToString("N0", CultureInfo.InvariantCulture) : None;

    public static string Count(long? count) => count is long value ? value.ToString(CultureInfo.InvariantCulture) : None;

    public static string Ratio(double? ratio) => ratio is double value ? Invariant($"{value:0.00}×") : None;

    public static string Percent(double fraction) => Invariant($"{fraction * 100:+0.0;-0.0;0.0}%");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
