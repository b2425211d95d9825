using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.Host;

/// <summary>
/// A peer cannot stop the server through its log: with stderr a pipe nobody reads, 10,000 protocol violations leave
/// a well-behaved client served and SIGTERM still ends the process, exit 0, within docs/server.md's 5 s.
/// </summary>
public sealed class LogFloodTests
{
    private const int Violations = 10_000;
    private const int Flooders = 8;

    [Theory]
    [InlineData("epoll-et")]
    [InlineData("blocking")]
    public async Task A_flood_of_violations_with_stderr_unread_neither_stalls_serving_nor_stopping(string model)
    {
        // Not ServerProcess: that one drains stderr, and the point here is a pipe that fills and stays full.
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { ServerProcess.HostAssembly, "--model", model, "--port", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync(Timeouts.After(Timeouts.Operation));
            Assert.NotNull(line);
            int port = int.Parse(line.Split(' ')[2].Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

            var header = TestClient.Header(uint.MaxValue);
            int sent = 0;
            var flooders = Enumerable.Range(0, Flooders).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref sent) <= Violations)
                {
                    await ViolateAsync(port, header);
                }
            }));
            await Task.WhenAll(flooders).WaitAsync(Timeouts.Case);

            using (var client = await TestClient.ConnectAsync(port))
            {
                await client.RoundTripAsync(new byte[64]);
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(Timeouts.After(Timeouts.Operation));
            }

            await process.WaitForExitAsync(Timeouts.After(TimeSpan.FromSeconds(5)));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>One connection that declares a length above max-frame and waits for the server to close it.</summary>
    private static async Task ViolateAsync(int port, byte[] header)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var token = Timeouts.After(Timeouts.Operation);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token);
        await socket.SendAsync(header, SocketFlags.None, token);
        var buffer = new byte[16];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, token) > 0)
            {
                // The server echoes nothing of a violating message; any byte would be a bug the codec tests catch.
            }
        }
        catch (SocketException)
        {
            // A reset is as good as a close here.
        }
    }
}
