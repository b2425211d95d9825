using IoModels.LoadGen.Reporting;

namespace IoModels.Tests.LoadGen;

/// <summary>The verdict from a run's counts: which code wins, and what is a finding rather than a failure.</summary>
public sealed class RunVerdictTests
{
    [Fact]
    public void A_clean_run_is_ok()
    {
        var verdict = RunVerdict.Judge(1000, 1, Connections(), Errors(), mismatch: null);

        Assert.Equal(new RunVerdict(ExitCodes.Ok, "ok", null), verdict);
    }

    [Fact]
    public void A_mismatch_wins_over_no_echo_and_over_errors()
    {
        var mismatch = new MismatchReport { ConnectionId = 3, Sequence = 7, FirstBadOffset = 500, MessageOffset = 24, Expected = 1, Actual = 0, Reason = "x" };

        var verdict = RunVerdict.Judge(0, 1, Connections(failed: 2), Errors(mismatches: 1, timeouts: 4), mismatch);

        Assert.Equal(ExitCodes.Mismatch, verdict.ExitCode);
        Assert.Equal("mismatch", verdict.Keyword);
        Assert.Equal("an echoed byte differed from the byte sent on 1 connection: connection 3 message 7, stream offset 500", verdict.Reason);
    }

    [Fact]
    public void No_echo_wins_over_errors_and_names_them()
    {
        var verdict = RunVerdict.Judge(0, 10, Connections(closedByPeer: 3076), Errors(lostInFlight: 3076), mismatch: null);

        Assert.Equal(ExitCodes.DidNotServe, verdict.ExitCode);
        Assert.Equal("did-not-serve", verdict.Keyword);
        Assert.Equal("the server did not serve: 0 echoes verified in 10.00 s (3,076 messages lost in flight, 3,076 connections closed by the server)", verdict.Reason);
    }

    [Fact]
    public void No_echo_and_no_error_is_still_not_served()
    {
        var verdict = RunVerdict.Judge(0, 1, Connections(), Errors(), mismatch: null);

        Assert.Equal(ExitCodes.DidNotServe, verdict.ExitCode);
        Assert.Equal("the server did not serve: 0 echoes verified in 1.00 s (no echo came back)", verdict.Reason);
    }

    [Theory]
    [InlineData(1, 0, 0, 0, 0, "1 timeout")]
    [InlineData(0, 2, 0, 0, 0, "2 resets")]
    [InlineData(0, 0, 1, 0, 0, "1 other socket error")]
    [InlineData(0, 0, 0, 5, 0, "5 messages lost in flight")]
    [InlineData(0, 0, 0, 0, 2, "2 failed connects: TimedOut 2")]
    public void Any_loss_beside_verified_echoes_is_served_badly(long timeouts, long resets, long other, long lost, long failed, string named)
    {
        var verdict = RunVerdict.Judge(1234, 2, Connections(failed: failed), Errors(timeouts: timeouts, resets: resets, other: other, lostInFlight: lost), mismatch: null);

        Assert.Equal(ExitCodes.ServedBadly, verdict.ExitCode);
        Assert.Equal("served-badly", verdict.Keyword);
        Assert.Equal($"the server served badly: {named}, beside 1,234 echoes verified in 2.00 s", verdict.Reason);
    }

    [Fact]
    public void A_close_by_the_server_with_nothing_in_flight_is_not_a_failure()
    {
        // A server may close idle connections, or close after a per-request echo: nothing was lost.
        var verdict = RunVerdict.Judge(1000, 1, Connections(closedByPeer: 10), Errors(), mismatch: null);

        Assert.Equal(ExitCodes.Ok, verdict.ExitCode);
    }

    [Fact]
    public void Idle_connections_closed_by_the_server_are_not_a_failure()
    {
        // An idle timeout closing every silent peer (bench scenario idle-timeout): the finding, not the server's fault.
        var verdict = RunVerdict.Judge(1000, 1, Connections(closedByPeer: 500, idle: 500, idleClosedByPeer: 500), Errors(), mismatch: null);

        Assert.Equal(ExitCodes.Ok, verdict.ExitCode);
        Assert.Null(verdict.Reason);
    }

    private static ConnectionsReport Connections(long failed = 0, long closedByPeer = 0, long idle = 0, long idleClosedByPeer = 0) => new()
    {
        Attempted = 10 + failed,
        Established = 10,
        Failed = failed,
        FailedByReason = failed == 0 ? [] : new SortedDictionary<string, long>(StringComparer.Ordinal) { ["TimedOut"] = failed },
        PeakOpen = 10,
        ClosedByPeer = closedByPeer,
        ClosedByClient = Math.Max(0, 10 - closedByPeer),
        Idle = idle,
        IdleClosedByPeer = idleClosedByPeer,
    };

    private static ErrorsReport Errors(long mismatches = 0, long timeouts = 0, long resets = 0, long other = 0, long lostInFlight = 0) => new()
    {
        Mismatches = mismatches,
        Timeouts = timeouts,
        Resets = resets,
        Other = other,
        LostInFlight = lostInFlight,
    };
}
