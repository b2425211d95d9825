using System.CommandLine;
using IoModels.Bench.Ab;

namespace IoModels.Tests.Bench.Ab;

public sealed class AbCommandTests
{
    private static readonly Command s_command = AbCommand.Create(_ => throw new InvalidOperationException("not run by these tests"));

    [Theory]
    [InlineData("5%", 0.05)]
    [InlineData("0.05", 0.05)]
    [InlineData("12.5%", 0.125)]
    [InlineData("0", 0)]
    public void ThresholdsParseAsPercentagesOrFractions(string text, double expected)
    {
        Assert.True(AbCommand.TryParseThreshold(text, out var threshold));
        Assert.Equal(expected, threshold, 1e-12);
    }

    [Theory]
    [InlineData("five")]
    [InlineData("150%")]
    [InlineData("-1%")]
    [InlineData("")]
    public void BadThresholdsAreRejected(string text) => Assert.False(AbCommand.TryParseThreshold(text, out _));

    [Fact]
    public void TheOptionsParseWithTheirDefaults()
    {
        var parse = s_command.Parse("v1.0 --models epoll-et,poll --scenarios echo");
        Assert.Empty(parse.Errors);
        Assert.Equal("v1.0", parse.GetValue<string>("REF"));
        Assert.Equal(["epoll-et", "poll"], parse.GetValue<string[]?>("--models")!);
        Assert.Equal(["echo"], parse.GetValue<string[]?>("--scenarios")!);
        Assert.Equal(10, parse.GetValue<int>("--rounds"));
        Assert.Equal(0.05, parse.GetValue<double>("--threshold"));
    }

    [Theory]
    [InlineData("v1 --threshold lots", "--threshold 'lots'")]
    [InlineData("v1 --rounds 4", "--rounds must be at least 5")]
    [InlineData("--rounds 3", "Required argument missing")]
    public void MistakesAreParseErrorsNamingTheOption(string line, string expected)
    {
        var parse = s_command.Parse(line);
        Assert.Contains(parse.Errors, error => error.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AUsageErrorIsOneLineOnStderrAndExit2()
    {
        var folder = Path.Combine(Path.GetTempPath(), "iomodels-ab-usage-" + Guid.NewGuid().ToString("N"));
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var exit = await s_command.Parse(["no-such-ref-of-iomodels", "--out", folder]).InvokeAsync(
                new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, CancellationToken.None);

            Assert.Equal(AbGate.Usage, exit);
            var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("ab: ", line, StringComparison.Ordinal);
            Assert.Empty(output.ToString());
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
