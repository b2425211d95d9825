using IoModels.Server.Models.Udp;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Udp;

/// <summary>The real host with <c>--transport udp</c>: the listening line, SIGTERM, and the combinations it refuses.</summary>
public sealed class UdpHostTests
{
    private static readonly string s_udpModels = string.Join(", ", UdpModelCatalog.Names);

    public static TheoryData<string> Models => [.. UdpModelCatalog.Names];

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Serves_on_the_announced_port_and_exits_0_within_5_s_of_SIGTERM(string model)
    {
        using var server = await ServerProcess.StartListeningAsync(["--model", model, "--transport", "udp"]);
        using (var client = new UdpTestClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port)))
        {
            byte[] datagram = UdpTestClient.Pattern(300, 9);
            Assert.Equal(datagram, await client.EchoAsync(datagram));
        }

        server.Terminate();

        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("--model", "poll", "--transport", "udp")]
    [InlineData("--model", "uring", "--transport", "udp")]
    [InlineData("--model", "blocking", "--transport", "udp", "--framing", "raw")]
    public async Task A_model_or_framing_without_udp_is_one_line_naming_the_udp_models_and_exit_2(params string[] arguments)
    {
        using var server = ServerProcess.Start(arguments);

        Assert.Equal(2, await server.WaitForExitAsync(Timeouts.Operation));
        await Eventually.AssertAsync(() => server.StandardError.Contains('\n', StringComparison.Ordinal), "the error line");
        string error = server.StandardError.TrimEnd();
        Assert.StartsWith("IoModels.Server: ", error, StringComparison.Ordinal);
        Assert.Contains($"models with UDP are {s_udpModels}", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }
}
