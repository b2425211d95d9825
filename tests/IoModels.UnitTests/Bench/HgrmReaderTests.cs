using IoModels.Bench;

namespace IoModels.Tests.Bench;

public sealed class HgrmReaderTests
{
    [Fact]
    public void Rows_become_points_and_the_header_and_footer_are_skipped()
    {
        const string Text = """
                   Value     Percentile TotalCount 1/(1-Percentile)

                  31.000 0.000000000000          1           1.00
                  45.000 0.500000000000       5012           2.00
                 120.000 0.990625000000       9907         106.67
                 901.000 1.000000000000      10000
            #[Mean    =       47.312, StdDeviation   =       12.004]
            #[Max     =      901.000, Total count    =        10000]
            #[Buckets =           14, SubBuckets     =           2048]
            """;

        var points = HgrmReader.Parse(new StringReader(Text));

        Assert.Equal(4, points.Count);
        Assert.Equal(new PercentilePoint(50, 45), points[1]);
        Assert.Equal(99.0625, points[2].Percentile, 6);
        Assert.Equal(901, points[3].Micros);
    }
}
