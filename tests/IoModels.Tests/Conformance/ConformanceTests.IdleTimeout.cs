using System.Diagnostics;
using System.Net.Sockets;
using IoModels.Server.Models;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Conformance;

/// <summary>
/// <c>--idle-timeout</c> (docs/server.md#idle-timeout): a connection that completes no message and sends no echo for the
/// timeout is closed and counted, whatever it is holding; one that keeps echoing never is.
/// </summary>
public abstract partial class ConformanceTests
{
    private static readonly TimeSpan s_shortIdleTimeout = TimeSpan.FromMilliseconds(300);

    // The sweep closes at most one and a half timeouts after the last progress; the rest is room for a busy machine.
    private static readonly TimeSpan s_idleCloseWait = (s_shortIdleTimeout * 1.5) + TimeSpan.FromSeconds(5);

    private InProcessServer StartWithIdleTimeout(TimeSpan timeout) =>
        InProcessServer.Start(new ServerOptions { Model = Model, Port = 0, IdleTimeout = timeout });

    [Fact]
    public async Task A_silent_peer_is_closed_after_the_idle_timeout_and_not_before()
    {
        await using var server = StartWithIdleTimeout(s_shortIdleTimeout);
        var connected = Stopwatch.StartNew();
        using var silent = await TestClient.ConnectAsync(server.Port);

        Assert.Equal(0, await ReceiveUntilClosedWithinAsync(silent, s_idleCloseWait));

        // The server's clock starts at accept, after the client's: a close seen earlier than the timeout is a bug.
        Assert.True(connected.Elapsed >= s_shortIdleTimeout, $"closed after {connected.Elapsed.TotalMilliseconds:0} ms, before the {s_shortIdleTimeout.TotalMilliseconds:0} ms timeout");
        Assert.Equal(1, server.Metrics.ConnectionsClosedIdle);
        await Eventually.AssertAsync(() => server.Metrics.ConnectionsActive == 0, "the idle connection to be closed");
    }

    [Fact]
    public async Task A_peer_gone_silent_after_echoes_is_closed()
    {
        await using var server = StartWithIdleTimeout(s_shortIdleTimeout);
        var (client, stalls) = await EchoUntilAsync(server, s_shortIdleTimeout, (i, _) => i < 10);
        using (client)
        {
            Assert.Equal(0, await ReceiveUntilClosedWithinAsync(client, s_idleCloseWait));
        }

        Assert.Equal(stalls + 1, server.Metrics.ConnectionsClosedIdle);
    }

    // Slowloris: half a header, then nothing; or a message trickled a byte at a time, which is bytes but no progress.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_slowloris_is_closed_after_the_idle_timeout(bool trickle)
    {
        await using var server = StartWithIdleTimeout(s_shortIdleTimeout);
        using var slowloris = await TestClient.ConnectAsync(server.Port);
        byte[] frame = TestClient.Frame(new byte[10_000]);
        await slowloris.SendAsync(frame.AsMemory(0, 2));

        var closed = ReceiveUntilClosedWithinAsync(slowloris, s_idleCloseWait);
        for (int i = 2; trickle && i < frame.Length && !closed.IsCompleted; i++)
        {
            // A byte per tenth of the timeout: pacing of the attack, not a wait for the server.
            await Task.Delay(s_shortIdleTimeout / 10);
            try
            {
                await slowloris.SendAsync(frame.AsMemory(i, 1));
            }
            catch (SocketException)
            {
                // Closed under the trickle: the receive below says how.
                break;
            }
        }

        Assert.Equal(0, await closed);
        Assert.Equal(1, server.Metrics.ConnectionsClosedIdle);
        Assert.Equal(0, server.Metrics.Messages);
    }

    // A peer that sends and never reads: the echo fills its receive buffer and the server's send buffer and output
    // budget, the server stops reading it, and nothing moves in either direction. It sends a FIN after its messages if
    // the buffers ever take them all (then it is also half-closed); either way the server must close it.
    [Fact]
    public async Task A_peer_that_never_reads_is_closed_after_the_idle_timeout()
    {
        await using var server = StartWithIdleTimeout(s_shortIdleTimeout);
        using var client = await TestClient.ConnectAsync(server.Port, receiveBufferSize: 4096);
        byte[] frame = TestClient.Frame(new byte[64 * 1024]);

        var sending = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < 4096; i++)
                {
                    await client.SendAsync(frame);
                }

                client.Socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The server closed it mid-send: the point of the case.
            }
        });

        await Eventually.AssertAsync(() => server.Metrics.ConnectionsClosedIdle == 1 && server.Metrics.ConnectionsActive == 0, "the never-reading peer to be closed", s_idleCloseWait);
        await sending.WaitAsync(Timeouts.Operation);
    }

    [Fact]
    public async Task A_busy_peer_is_never_closed()
    {
        // A longer timeout than the other cases: a stall of the test process itself must not pass for an idle peer.
        var timeout = TimeSpan.FromSeconds(1);
        await using var server = StartWithIdleTimeout(timeout);
        var (busy, stalls) = await EchoUntilAsync(server, timeout, (i, elapsed) => i < 1_000_000 && elapsed < timeout * 3);
        using (busy)
        {
            await busy.RoundTripAsync(new byte[10]);
            await Eventually.AssertAsync(() => server.Metrics.ConnectionsActive == 1, "only the busy connection to be open");
        }

        Assert.Equal(stalls, server.Metrics.ConnectionsClosedIdle);
    }

    [Fact]
    public async Task An_idle_timeout_of_zero_closes_nothing()
    {
        await using var server = StartWithIdleTimeout(TimeSpan.Zero);
        using var silent = await TestClient.ConnectAsync(server.Port);
        await silent.SendAsync(TestClient.Frame([1, 2, 3]).AsMemory(0, 2));

        // Waited for with the receive timeout the other cases close within: nothing may arrive, not even EOF.
        silent.Socket.ReceiveTimeout = (int)s_idleCloseWait.TotalMilliseconds;
        var error = Assert.Throws<SocketException>(() => silent.Socket.Receive(new byte[16]));
        Assert.Equal(SocketError.TimedOut, error.SocketErrorCode);
        Assert.Equal(0, server.Metrics.ConnectionsClosedIdle);
    }

    /// <summary>
    /// Connects and echoes one message after another while <paramref name="more"/> says so (given the count so far and
    /// the time since the connect), and returns the connection. A close by the server meanwhile is right only if the
    /// client itself was slow for the whole timeout (a cold start on a loaded machine can be): the server's last
    /// progress on the connection came no earlier than the start of the round trip before the failing one, or the
    /// connect. So a close seen sooner than the timeout after that fails the case, and a later one starts it over on a
    /// new connection, a bounded number of times; <c>Stalls</c> counts them, for they are idle closes the server
    /// rightly made.
    /// </summary>
    private static async Task<(TestClient Client, int Stalls)> EchoUntilAsync(InProcessServer server, TimeSpan timeout, Func<int, TimeSpan, bool> more)
    {
        const int MaxStalls = 3;
        for (int stalls = 0; ; stalls++)
        {
            var clock = Stopwatch.StartNew();
            var client = await TestClient.ConnectAsync(server.Port);
            var progressNoEarlierThan = TimeSpan.Zero;
            try
            {
                for (int i = 0; more(i, clock.Elapsed); i++)
                {
                    var started = clock.Elapsed;
                    await client.RoundTripAsync(BitConverter.GetBytes(i));
                    progressNoEarlierThan = started;
                }

                return (client, stalls);
            }
            catch (Exception e) when (e is EndOfStreamException or SocketException)
            {
                client.Dispose();
                var idle = clock.Elapsed - progressNoEarlierThan;
                Assert.True(idle >= timeout, $"the server closed a connection at most {idle.TotalMilliseconds:0} ms after its last progress, before the {timeout.TotalMilliseconds:0} ms timeout: {e.Message}");
                Assert.True(stalls < MaxStalls, $"the client stalled for the timeout {MaxStalls + 1} times in a row: {e.Message}");
            }
        }
    }

    /// <summary>Reads until EOF or reset, with a receive timeout of <paramref name="within"/>: a timeout fails the case.</summary>
    private static async Task<int> ReceiveUntilClosedWithinAsync(TestClient client, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        var buffer = new byte[64 * 1024];
        int total = 0;
        try
        {
            while (true)
            {
                int n = await client.Socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (n == 0)
                {
                    return total;
                }

                total += n;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return total;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the connection was still open {within.TotalSeconds:0.#} s later ({total} bytes received)");
            throw;
        }
    }
}
