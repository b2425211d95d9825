using System.Globalization;
using IoModels.LoadGen.Reporting;
using IoModels.LoadGen.Timing;

namespace IoModels.Tests.LoadGen;

public sealed class HgrmWriterTests
{
    [Fact]
    public void Distribution_is_written_in_microseconds_in_hdrhistogram_text_format()
    {
        var histogram = LatencyHistograms.Create();
        for (int i = 1; i <= 1000; i++)
        {
            histogram.RecordValue(i);
        }

        string path = Path.GetTempFileName();
        try
        {
            HgrmWriter.Write(path, histogram);
            string[] lines = File.ReadAllLines(path);

            Assert.StartsWith("Value", lines[0].Trim(), StringComparison.Ordinal);
            var rows = lines.Skip(1)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 3 && !fields[0].StartsWith('#'))
                .Select(fields => (Value: double.Parse(fields[0], CultureInfo.InvariantCulture), Percentile: double.Parse(fields[1], CultureInfo.InvariantCulture)))
                .ToList();
            Assert.Equal(1000, rows[^1].Value);
            Assert.Equal(1.0, rows[^1].Percentile);
            Assert.InRange(rows.First(r => r.Percentile >= 0.5).Value, 499, 501);
            Assert.Contains(lines, line => line.StartsWith("#[Mean", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
