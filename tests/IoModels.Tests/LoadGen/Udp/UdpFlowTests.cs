using HdrHistogram;
using IoModels.LoadGen.Engine;
using IoModels.LoadGen.Verification;
using IoModels.Protocol;

namespace IoModels.Tests.LoadGen.Udp;

/// <summary>How one flow classifies each echo, fed by hand: no socket, no clock, every case exact.</summary>
public sealed class UdpFlowTests : IDisposable
{
    private const int FlowId = 3;
    private const int Length = 100;

    private readonly PayloadPattern _pattern = new(maxPayload: 1024);
    private readonly RunTimeline _measuringAlways = new(0, 0, long.MaxValue);
    private readonly WorkerStats _stats = new(1_000_000);
    private readonly UdpFlow _flow;

    public UdpFlowTests() => _flow = new UdpFlow(FlowId, pipeline: 4, history: 16, _pattern);

    public void Dispose() => _flow.Dispose();

    [Fact]
    public void A_whole_echo_is_received_once_and_timed()
    {
        uint sequence = Send(sentTicks: 1_000);

        Assert.Equal(UdpEchoKind.Received, Accept(Echo(sequence), nowTicks: 1_250));

        Assert.Equal(1, _stats.Udp.Received);
        Assert.Equal(1, _stats.MessagesMeasured);
        Assert.Equal(Length, _stats.BytesMeasured);
        Assert.Equal(250, _stats.Latency.Corrected.GetMaxValue());
        Assert.Equal(0, _flow.Ledger.Outstanding);
    }

    [Fact]
    public void A_second_copy_is_a_duplicate_and_is_not_timed_again()
    {
        uint sequence = Send();
        Accept(Echo(sequence));

        Assert.Equal(UdpEchoKind.Duplicated, Accept(Echo(sequence)));
        Assert.Equal(UdpEchoKind.Duplicated, Accept(Echo(sequence)));

        Assert.Equal(1, _stats.Udp.Received);
        Assert.Equal(2, _stats.Udp.Duplicated);
        Assert.Equal(1, _stats.Latency.Count);
    }

    [Fact]
    public void An_echo_after_the_timeout_is_late_and_its_datagram_stays_lost()
    {
        uint sequence = Send(sentTicks: 100);
        Assert.True(_flow.Ledger.TryExpire(sentBeforeTicks: 100, out bool measured));
        Assert.True(measured);

        Assert.Equal(UdpEchoKind.Late, Accept(Echo(sequence)));
        // A copy of a late echo is a duplicate.
        Assert.Equal(UdpEchoKind.Duplicated, Accept(Echo(sequence)));

        Assert.Equal(1, _stats.Udp.Late);
        Assert.Equal(1, _stats.Udp.Duplicated);
        Assert.Equal(0, _stats.Udp.Received);
        Assert.Equal(0, _stats.Latency.Count);
    }

    [Fact]
    public void Only_datagrams_sent_long_enough_ago_expire_oldest_first()
    {
        uint first = Send(sentTicks: 100);
        Send(sentTicks: 200);

        Assert.False(_flow.Ledger.TryExpire(sentBeforeTicks: 99, out _));
        Assert.True(_flow.Ledger.TryExpire(sentBeforeTicks: 150, out _));
        Assert.False(_flow.Ledger.TryExpire(sentBeforeTicks: 150, out _));
        Assert.Equal(DatagramState.Lost, _flow.Ledger.Find(first));
        Assert.Equal(1, _flow.Ledger.Outstanding);
    }

    [Fact]
    public void An_echo_that_overtakes_an_earlier_one_leaves_the_earlier_one_reordered()
    {
        uint a = Send();
        uint b = Send();
        uint c = Send();

        Accept(Echo(b));
        Accept(Echo(a));
        Accept(Echo(c));

        Assert.Equal(3, _stats.Udp.Received);
        Assert.Equal(1, _stats.Udp.Reordered);
    }

    [Fact]
    public void A_shorter_echo_is_truncated_and_a_mismatch()
    {
        uint sequence = Send();
        byte[] echo = Echo(sequence)[..60];

        Assert.Equal(UdpEchoKind.Truncated, Accept(echo));

        Assert.Equal(1, _stats.Udp.Truncated);
        Assert.Equal(1, _stats.Mismatches);
        Assert.Equal(0, _stats.Udp.Received);
        // It came back, so it is not also lost.
        Assert.Equal(DatagramState.Answered, _flow.Ledger.Find(sequence));
        var mismatch = Assert.IsType<Mismatch>(_stats.FirstMismatch);
        Assert.Equal(60, mismatch.MessageOffset);
        Assert.Equal("the echoed datagram is 60 bytes of the 100 sent", mismatch.Reason);
    }

    [Fact]
    public void A_changed_byte_is_corrupted_at_its_offset()
    {
        uint sequence = Send();
        byte[] echo = Echo(sequence);
        byte sent = echo[42];
        echo[42] ^= 0x80;

        Assert.Equal(UdpEchoKind.Corrupted, Accept(echo));

        Assert.Equal(1, _stats.Udp.Corrupted);
        var mismatch = Assert.IsType<Mismatch>(_stats.FirstMismatch);
        Assert.Equal(42, mismatch.MessageOffset);
        Assert.Equal(sent, mismatch.Expected);
        Assert.Equal(sent ^ 0x80, mismatch.Actual);
    }

    [Fact]
    public void A_longer_echo_is_corrupted()
    {
        uint sequence = Send();
        byte[] echo = [.. Echo(sequence), 0x55];

        Assert.Equal(UdpEchoKind.Corrupted, Accept(echo));
        Assert.Contains("longer than the 100 sent", _stats.FirstMismatch!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_echo_naming_another_flow_or_a_datagram_never_sent_is_corrupted()
    {
        uint sequence = Send();
        var other = new byte[Length];
        _pattern.Write(Framing.Raw, FlowId + 1, sequence, Length, other);
        var future = new byte[Length];
        _pattern.Write(Framing.Raw, FlowId, sequence + 5, Length, future);

        Assert.Equal(UdpEchoKind.Corrupted, Accept(other));
        Assert.Equal(UdpEchoKind.Corrupted, Accept(future));

        Assert.Equal(2, _stats.Udp.Corrupted);
        Assert.Equal(1, _flow.Ledger.Outstanding);
    }

    [Fact]
    public void An_echo_too_short_to_name_its_datagram_is_truncated()
    {
        Send();

        Assert.Equal(UdpEchoKind.Truncated, _flow.Accept(new byte[5], 5, 0, _measuringAlways, _stats));
        Assert.Equal(1, _stats.Udp.Truncated);
    }

    [Fact]
    public void An_echo_cut_by_the_clients_buffer_is_received_and_counted_as_cut()
    {
        uint sequence = Send();
        byte[] echo = Echo(sequence);

        // The client read 20 bytes; the kernel said (MSG_TRUNC) the datagram had all 100.
        Assert.Equal(UdpEchoKind.Received, _flow.Accept(echo.AsSpan(0, 20), Length, 0, _measuringAlways, _stats));

        Assert.Equal(1, _stats.Udp.Received);
        Assert.Equal(1, _stats.Udp.ClientTruncated);
        Assert.Equal(0, _stats.Mismatches);
        Assert.Equal(20, _stats.BytesMeasured);
    }

    [Fact]
    public void A_cut_echo_whose_datagram_the_server_shortened_is_still_truncated()
    {
        uint sequence = Send();

        // 20 bytes read of a datagram of 60: the client cut it, but the server had cut it first.
        Assert.Equal(UdpEchoKind.Truncated, _flow.Accept(Echo(sequence).AsSpan(0, 20), 60, 0, _measuringAlways, _stats));
        Assert.Equal(1, _stats.Udp.Truncated);
        Assert.Equal(0, _stats.Udp.ClientTruncated);
    }

    [Fact]
    public void An_echo_older_than_the_history_is_late()
    {
        uint first = Send();
        Accept(Echo(first));
        for (int i = 0; i < _flow.Ledger.History; i++)
        {
            Accept(Echo(Send()));
        }

        Assert.Null(_flow.Ledger.Find(first));
        Assert.Equal(UdpEchoKind.Late, Accept(Echo(first)));
        Assert.Equal(1, _stats.Udp.Late);
    }

    [Fact]
    public void A_datagram_overtaken_by_a_whole_history_is_declared_lost_so_the_flow_goes_on()
    {
        var ledger = new DatagramLedger(pipeline: 4, history: 4);
        uint stuck = ledger.Send(Length, 0, 0, measured: true);
        for (int i = 0; i < 3; i++)
        {
            ledger.Answer(ledger.Send(Length, 0, 0, measured: true));
        }

        // One outstanding of four, but the next datagram needs its entry.
        Assert.False(ledger.CanSend);
        Assert.True(ledger.TryExpire(sentBeforeTicks: long.MinValue, out _));
        Assert.True(ledger.CanSend);
        Assert.Equal(DatagramState.Lost, ledger.Find(stuck));
    }

    [Fact]
    public void Counts_cover_the_datagrams_sent_in_the_measured_phase()
    {
        var timeline = new RunTimeline(0, measureStartTicks: 1_000, measureEndTicks: 2_000);
        var warmup = _flow.Ledger.Send(Length, 500, 500, timeline.IsMeasuring(500));
        var measured = _flow.Ledger.Send(Length, 1_500, 1_500, timeline.IsMeasuring(1_500));

        // The warm-up datagram's echo arrives in the measured phase: still a warm-up datagram.
        _flow.Accept(Echo(warmup), Length, 1_600, timeline, _stats);
        _flow.Accept(Echo(measured), Length, 1_700, timeline, _stats);

        Assert.Equal(1, _stats.Udp.Received);
        Assert.Equal(1, _stats.MessagesMeasured);
        Assert.Equal(2, _stats.MessagesTotal);
    }

    [Fact]
    public void Jitter_follows_rfc_3550()
    {
        // Round trips of 100, 200 and 150 ticks: |D| is 100 then 50, so J = 100/16, then J + (50 - J)/16.
        Accept(Echo(Send(sentTicks: 0)), nowTicks: 100);
        Accept(Echo(Send(sentTicks: 1_000)), nowTicks: 1_200);
        Accept(Echo(Send(sentTicks: 2_000)), nowTicks: 2_150);

        double expected = 100.0 / 16;
        expected += (50 - expected) / 16;
        Assert.Equal(expected, _flow.JitterTicks, precision: 9);
        Assert.Equal(2, _flow.JitterSamples);
    }

    private uint Send(long sentTicks = 0) => _flow.Ledger.Send(Length, sentTicks, sentTicks, measured: true);

    private byte[] Echo(uint sequence)
    {
        var datagram = new byte[Length];
        _pattern.Write(Framing.Raw, FlowId, sequence, Length, datagram);
        return datagram;
    }

    private UdpEchoKind Accept(byte[] echo, long nowTicks = 0) => _flow.Accept(echo, echo.Length, nowTicks, _measuringAlways, _stats);
}
