using System.Diagnostics;
using System.Globalization;

namespace IoModels.Bench.Running;

/// <summary>
/// The time left in a run, estimated from the cells done so far: their mean wall-clock time times the
/// cells still to run. Cells differ (an absent model takes no time), so it is an estimate, shown as such.
/// </summary>
internal sealed class ProgressClock
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _total;
    private int _done;

    public ProgressClock(int total) => _total = total;

    public int Done => _done;

    public void CellDone() => _done++;

    public string Remaining()
    {
        if (_done == 0)
        {
            return "";
        }

        var left = TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds / _done * (_total - _done));
        return left.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"~{(int)left.TotalMinutes} min {left.Seconds:00} s left")
            : string.Create(CultureInfo.InvariantCulture, $"~{left.Seconds} s left");
    }
}
