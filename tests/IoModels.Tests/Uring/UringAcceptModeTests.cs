using System.Globalization;
using System.Text.RegularExpressions;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Uring;

/// <summary>
/// Multishot accept takes everything queued at once, past any budget check, so the model switches to one-shot
/// accepts before the descriptor budget: connections on both sides of the switch are served, and the budget is
/// still honoured (exhaustion logged once, the backlog served as descriptors free up).
/// </summary>
public sealed partial class UringAcceptModeTests
{
    private const int FileLimit = 300;
    private const int Backlog = 16;

    [Fact]
    public async Task Multishot_accept_hands_over_to_one_shot_before_the_descriptor_budget()
    {
        using var server = await ServerProcess.StartListeningAsync(["--model", "uring", "--backlog", Backlog.ToString(CultureInfo.InvariantCulture)], FileLimit);
        await Eventually.AssertAsync(() => MultishotBelow().IsMatch(server.StandardError), "the start-up line naming the accept mode");
        int multishotBelow = int.Parse(MultishotBelow().Match(server.StandardError).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(multishotBelow, 1, FileLimit);

        // The budget is twice the backlog above the switch; a few more wait in the backlog.
        int budget = multishotBelow + (2 * Backlog);
        var clients = new List<TestClient>();
        try
        {
            for (int i = 0; i < budget + (Backlog / 2); i++)
            {
                clients.Add(await TestClient.ConnectAsync(server.Port));
            }

            await Eventually.AssertAsync(() => server.StandardError.Contains("out of file descriptors", StringComparison.Ordinal), "the server to log descriptor exhaustion");

            // The budget stopped accepting, not EMFILE: the multishot accept was ended before it could overrun.
            Assert.Contains("descriptors for the runtime", server.StandardError, StringComparison.Ordinal);

            // Accepted by the multishot accept, and after the switch by one-shot accepts.
            await clients[0].RoundTripAsync(new byte[100]);
            await clients[multishotBelow - 1].RoundTripAsync(new byte[100]);
            await clients[multishotBelow + Backlog].RoundTripAsync(new byte[100]);

            // Free descriptors: the last client, which waited in the backlog, is accepted and served.
            foreach (var client in clients.Skip(1).SkipLast(1))
            {
                client.Dispose();
            }

            await clients[^1].RoundTripAsync(new byte[100]);
            Assert.False(server.HasExited);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [GeneratedRegex(@"accept multishot below (\d+) connections")]
    private static partial Regex MultishotBelow();
}
