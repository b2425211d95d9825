using System.Globalization;
using IoModels.Protocol.CommandLine;

namespace IoModels.LoadGen.Options;

/// <summary>
/// <c>--start-at</c>: a UTC wall-clock time in ISO 8601 (<c>2026-12-01T23:50:00Z</c>; an offset or no zone, read as
/// UTC, are accepted too) at which the measured phase begins, so processes on several machines measure together.
/// </summary>
public static class StartAtTime
{
    private static readonly string[] s_formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    /// <exception cref="UsageException">The text is not such a time, or the time is not after <paramref name="nowUtc"/>.</exception>
    public static DateTimeOffset Parse(string text, DateTimeOffset nowUtc)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!DateTimeOffset.TryParseExact(text, s_formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            throw new UsageException($"option '--start-at': '{text}' is not a UTC time in ISO 8601 (e.g. 2026-12-01T23:50:00Z)");
        }

        return time > nowUtc
            ? time
            : throw new UsageException($"option '--start-at': {time:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} is not in the future (now {nowUtc.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'})");
    }
}
