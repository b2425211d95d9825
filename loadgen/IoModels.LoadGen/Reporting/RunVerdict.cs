using System.Globalization;

namespace IoModels.LoadGen.Reporting;

/// <summary>
/// What a finished run says about the server, as an exit code, a keyword for scripts and one sentence for people.
/// </summary>
/// <remarks>
/// A server that accepts and never reads, or closes every connection, lets a run go its full time without a single
/// echo: only the counts show it, so they decide the exit code, not the absence of an exception. A close by the
/// server with nothing in flight is not held against it (a server may close idle connections, and a per-request
/// echo may be followed by the server's own close); one that loses messages in flight is. Open-loop "rate not
/// sustained" is a finding about capacity, reported, not a failure. So is UDP loss (and duplicates, reordering, late
/// echoes and echoes cut by the client's own buffer): the network may do all of them; only the server corrupts or
/// truncates, and those are mismatches.
/// </remarks>
/// <param name="ExitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="Keyword"><c>ok</c>, <c>mismatch</c>, <c>did-not-serve</c> or <c>served-badly</c>.</param>
/// <param name="Reason">One line saying why the run failed; null when it did not.</param>
public sealed record RunVerdict(int ExitCode, string Keyword, string? Reason)
{
    public const string OkKeyword = "ok";
    public const string MismatchKeyword = "mismatch";
    public const string DidNotServeKeyword = "did-not-serve";
    public const string ServedBadlyKeyword = "served-badly";

    /// <param name="udp">The UDP figures of a <c>--transport udp</c> run; null for TCP.</param>
    public static RunVerdict Judge(long messages, double durationSeconds, ConnectionsReport connections, ErrorsReport errors, MismatchReport? mismatch, UdpReport? udp = null)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(errors);
        var inv = CultureInfo.InvariantCulture;
        if (errors.Mismatches > 0)
        {
            if (udp is not null)
            {
                string first = mismatch is null ? "" : string.Create(inv, $": first flow {mismatch.ConnectionId} datagram {mismatch.Sequence}, {mismatch.Reason}");
                return new RunVerdict(ExitCodes.Mismatch, MismatchKeyword, string.Create(inv, $"the server echoed {Count(errors.Mismatches, "datagram", "datagrams")} corrupted or truncated{first}"));
            }

            string where = mismatch is null ? "" : string.Create(inv, $": connection {mismatch.ConnectionId} message {mismatch.Sequence}, stream offset {mismatch.FirstBadOffset}");
            return new RunVerdict(ExitCodes.Mismatch, MismatchKeyword, string.Create(inv, $"an echoed byte differed from the byte sent on {Count(errors.Mismatches, "connection", "connections")}{where}"));
        }

        var problems = Problems(connections, errors);
        if (udp is { Refused: > 0 })
        {
            problems.Add(Count(udp.Refused, "ICMP port-unreachable report", "ICMP port-unreachable reports"));
        }

        if (messages == 0)
        {
            if (connections.ClosedByPeer > 0)
            {
                problems.Add(string.Create(inv, $"{Count(connections.ClosedByPeer, "connection", "connections")} closed by the server"));
            }

            if (udp is not null)
            {
                problems.Add(string.Create(inv, $"{Count(udp.Sent, "datagram", "datagrams")} sent, {udp.Lost:N0} lost"));
            }

            string why = problems.Count == 0 ? "no echo came back" : string.Join(", ", problems);
            return new RunVerdict(ExitCodes.DidNotServe, DidNotServeKeyword, string.Create(inv, $"the server did not serve: 0 echoes verified in {durationSeconds:0.00} s ({why})"));
        }

        if (problems.Count > 0)
        {
            return new RunVerdict(ExitCodes.ServedBadly, ServedBadlyKeyword, string.Create(inv, $"the server served badly: {string.Join(", ", problems)}, beside {Count(messages, "echo", "echoes")} verified in {durationSeconds:0.00} s"));
        }

        return new RunVerdict(ExitCodes.Ok, OkKeyword, null);
    }

    private static List<string> Problems(ConnectionsReport connections, ErrorsReport errors)
    {
        var problems = new List<string>();
        if (errors.Timeouts > 0)
        {
            problems.Add(Count(errors.Timeouts, "timeout", "timeouts"));
        }

        if (errors.Resets > 0)
        {
            problems.Add(Count(errors.Resets, "reset", "resets"));
        }

        if (errors.Other > 0)
        {
            problems.Add(Count(errors.Other, "other socket error", "other socket errors"));
        }

        if (errors.LostInFlight > 0)
        {
            problems.Add($"{Count(errors.LostInFlight, "message", "messages")} lost in flight");
        }

        if (connections.Failed > 0)
        {
            string reasons = connections.FailedByReason.Count == 0 ? "" : $": {string.Join(", ", connections.FailedByReason.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:N0}")))}";
            problems.Add($"{Count(connections.Failed, "failed connect", "failed connects")}{reasons}");
        }

        return problems;
    }

    private static string Count(long n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n:N0} {(n == 1 ? one : many)}");
}
