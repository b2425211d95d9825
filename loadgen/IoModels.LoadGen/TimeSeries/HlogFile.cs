using System.Text;
using HdrHistogram;

namespace IoModels.LoadGen.TimeSeries;

/// <summary>
/// An HdrHistogram interval log (<c>.hlog</c>, log format 1.3) written through HdrHistogram's
/// <see cref="HistogramLogWriter"/>, one line per interval as it ends, in UTF-8 as the Java tools and wrk2 forks read it.
/// </summary>
internal sealed class HlogFile : IDisposable
{
    private readonly HistogramLogWriter _writer;
    private readonly DateTime _startUtc;
    private bool _headerWritten;

    public HlogFile(string path, DateTimeOffset startUtc)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        // The writer emits UTF-16; the file is UTF-8 without a byte-order mark.
        var utf8 = Encoding.CreateTranscodingStream(new BomlessStream(file), Encoding.UTF8, Encoding.Unicode);
        _writer = new HistogramLogWriter(utf8);
        _startUtc = startUtc.UtcDateTime;
    }

    /// <summary>Appends one interval; its <c>StartTimeStamp</c> and <c>EndTimeStamp</c> (ms since the epoch) must be set.</summary>
    public void Append(HistogramBase interval)
    {
        if (_headerWritten)
        {
            _writer.Append(interval);
            return;
        }

        // The writer's only public way to the header (format version, start time, column legend) writes it with
        // the first histogram.
        _writer.Write(_startUtc, interval);
        _headerWritten = true;
    }

    public void Dispose() => _writer.Dispose();
}
