using System.Globalization;
using System.Text.RegularExpressions;

namespace IoModels.Bench.Running;

/// <summary>
/// The counts the server logs when it stops (<c>Stopped: connections accepted=… peak=…; … refused over the descriptor
/// limit=N</c>, docs/server.md), read back from its stderr: the server's own word on what it refused.
/// </summary>
internal sealed partial record ServerShutdownSummary(long Refused, long? Peak)
{
    /// <summary>The last shutdown summary in the log, or null when the server logged none (it was killed, or is not ours).</summary>
    public static ServerShutdownSummary? Read(string logPath)
    {
        if (!File.Exists(logPath))
        {
            return null;
        }

        ServerShutdownSummary? last = null;
        foreach (string line in File.ReadLines(logPath))
        {
            if (RefusedPattern().Match(line) is { Success: true } refused)
            {
                long? peak = PeakPattern().Match(line) is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
                last = new ServerShutdownSummary(long.Parse(refused.Groups[1].Value, CultureInfo.InvariantCulture), peak);
            }
        }

        return last;
    }

    [GeneratedRegex(@"refused over the descriptor limit=(\d+)")]
    private static partial Regex RefusedPattern();

    [GeneratedRegex(@"\bpeak=(\d+)")]
    private static partial Regex PeakPattern();
}
