using System.Globalization;
using IoModels.LoadGen.Engine;

namespace IoModels.LoadGen.Monitoring;

/// <summary>
/// The once-a-second progress line on stderr. On a terminal it rewrites itself in place; otherwise (a log file, CI)
/// it prints plain lines.
/// </summary>
public sealed class ProgressLine(TextWriter writer, bool isTerminal)
{
    private long _lastMessages;
    private long _lastTicks;
    private bool _written;

    /// <param name="lost">UDP: datagrams lost so far in the measured phase (null for TCP).</param>
    public void Write(long nowTicks, long ticksPerSecond, RunTimeline timeline, long messagesTotal, long open, long failed, long timeouts, long mismatches, long? lost = null)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        double elapsed = (nowTicks - timeline.StartTicks) / (double)ticksPerSecond;
        double interval = _lastTicks == 0 ? elapsed : (nowTicks - _lastTicks) / (double)ticksPerSecond;
        double rate = interval > 0 ? (messagesTotal - _lastMessages) / interval : 0;
        _lastMessages = messagesTotal;
        _lastTicks = nowTicks;
        string phase = nowTicks < timeline.MeasureStartTicks ? "warmup " : nowTicks < timeline.MeasureEndTicks ? "measure" : "drain  ";
        string line = string.Create(CultureInfo.InvariantCulture, $"[{elapsed,6:0.0}s] {phase} {rate,12:N0} msg/s  total {messagesTotal:N0}  open {open}  connect-failed {failed}  {(lost is long l ? $"lost {l}" : $"timeouts {timeouts}")}  mismatches {mismatches}");
        if (isTerminal)
        {
            writer.Write($"\r{line}\u001b[K");
            _written = true;
        }
        else
        {
            writer.WriteLine(line);
        }

        writer.Flush();
    }

    /// <summary>Ends the in-place line so the summary starts on its own.</summary>
    public void Finish()
    {
        if (_written)
        {
            writer.WriteLine();
            writer.Flush();
        }
    }
}
