using System.Globalization;

namespace IoModels.Bench.Running;

/// <summary>
/// Whether a failed cell of a model with a descriptor limit failed only because the model refused, as designed,
/// the connections it cannot watch. Each refused connection is closed at once, which the load generator sees as a
/// reset (it had sent) or an end of stream (it had not): so every reset and close by the server must be one of
/// the server's own refusals, and nothing else may have gone wrong.
/// </summary>
internal static class RefusalFinding
{
    /// <summary>
    /// The finding's words when the refusals explain every failure of the cell; null when they do not. In a scenario
    /// whose claim is the overwhelmed server (<paramref name="overload"/>), its timeouts and failed connects are that
    /// claim, and only the resets and closes must be refusals.
    /// </summary>
    public static string? Explain(LoadReport report, ServerShutdownSummary? server, int descriptorLimit, bool overload = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (server is not { Refused: > 0 } summary
            || report.Mismatches > 0 || report.OtherErrors > 0
            || (!overload && (report.Timeouts > 0 || report.FailedConnections > 0))
            || report.Resets + report.ClosedByPeer > summary.Refused)
        {
            return null;
        }

        string served = summary.Peak is long peak ? $", served at most {peak.ToString("N0", CultureInfo.InvariantCulture)} at once below it" : "";
        string none = report.Messages == 0 ? " (every active connection was among the refused)" : "";
        return string.Create(CultureInfo.InvariantCulture, $"refused {summary.Refused:N0} connections at descriptors from {descriptorLimit:N0} up (FD_SETSIZE){served}; {report.Messages:N0} echoes verified{none}");
    }
}
