using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IoModels.Native;
using IoModels.Server.Models;
using IoModels.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace IoModels.Tests.Scan;

/// <summary>
/// <c>select-libc</c> past <c>FD_SETSIZE</c>: connections whose descriptor is 1,024 or above are closed at once and
/// counted, one warning per episode, while a connection below the limit keeps being served; and the limit is
/// glibc's <c>fd_set</c>, not the kernel's.
/// </summary>
public sealed class SelectLibcDescriptorLimitTests(ITestOutputHelper output)
{
    // Clients and the server's sockets share this process: two descriptors a connection. This many connections
    // pass descriptor 1,024 from any starting point below it, and bound the case.
    private const int MaxClients = 1100;
    private const int Batch = 50;

    // Refusals to see before the low client is checked again: enough that they are clearly not a one-off.
    private const int RefusalsWanted = 100;

    // Two descriptors a client plus what the runtime and the test host hold.
    private const ulong DescriptorsNeeded = (2 * MaxClients) + 1024;

    [Fact]
    public async Task Connections_above_FD_SETSIZE_are_refused_and_counted_while_a_low_one_is_served()
    {
        Assert.True(ProcessDescriptors.RaiseSoftLimit(DescriptorsNeeded) >= DescriptorsNeeded, $"this case needs a soft RLIMIT_NOFILE of {DescriptorsNeeded}");
        var log = new RecordingLogger();
        using var metrics = new ServerMetrics();
        var options = new ServerOptions { Model = "select-libc", Port = 0 };
        using var server = ServerModelCatalog.Create(new ServerContext(options, metrics, log));
        server.Start();
        var clients = new List<TestClient>(MaxClients);
        try
        {
            using var low = await TestClient.ConnectAsync(server.LocalEndPoint.Port);
            await low.RoundTripAsync(new byte[100]);

            while (metrics.ConnectionsRefused < RefusalsWanted && clients.Count + Batch <= MaxClients)
            {
                clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Batch).Select(_ => TestClient.ConnectAsync(server.LocalEndPoint.Port))));
                int expected = clients.Count + 1;
                await Eventually.AssertAsync(() => metrics.ConnectionsActive + metrics.ConnectionsRefused == expected, $"{expected} connections accepted or refused");
                await low.RoundTripAsync(new byte[100]);
            }

            output.WriteLine($"select-libc: {metrics.ConnectionsActive} of {clients.Count + 1} connections served, {metrics.ConnectionsRefused} refused; warnings: {log.Warnings.Count}");
            Assert.True(metrics.ConnectionsRefused >= RefusalsWanted, $"only {metrics.ConnectionsRefused} refusals after {clients.Count + 1} connections");
            Assert.True(metrics.ConnectionsActive < FdSet.Capacity, $"{metrics.ConnectionsActive} connections served, more than the set can name");

            // Every refused client, and only those, was closed by the server. Which ones they are is not fixed: a
            // descriptor below the limit freed meanwhile (a finalized socket of an earlier test) lets a late client in.
            long refused = metrics.ConnectionsRefused;
            await Eventually.AssertAsync(() => clients.Count(ClosedByServer) == refused, $"{refused} clients closed by the server");

            // The first clients, below the limit, are served.
            for (int i = 0; i < 50; i++)
            {
                await low.RoundTripAsync(BitConverter.GetBytes(i));
                await clients[0].RoundTripAsync(BitConverter.GetBytes(i));
            }

            // Hundreds of refusals close together are one episode: one warning, naming the limit.
            var warning = Assert.Single(log.Warnings);
            Assert.Contains("FD_SETSIZE (1024)", warning, StringComparison.Ordinal);
            Assert.Contains($"refused over the descriptor limit={metrics.ConnectionsRefused}", metrics.Summary(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }

            await server.StopAsync(Timeouts.After(Timeouts.Operation));
        }
    }

    [Fact]
    public void The_set_is_glibcs_128_bytes_addressed_as_FD_SET_does_and_refuses_what_it_cannot_hold()
    {
        Assert.Equal(128, Unsafe.SizeOf<FdSet>());
        var set = default(FdSet);
        set.Add(0);
        set.Add(65);
        set.Add(FdSet.Capacity - 1);

        // FD_SET(fd) sets bit fd % 64 of long fd / 64.
        var words = MemoryMarshal.Cast<FdSet, ulong>(MemoryMarshal.CreateSpan(ref set, 1));
        Assert.Equal(1UL, words[0]);
        Assert.Equal(2UL, words[1]);
        Assert.Equal(1UL << 63, words[15]);
        Assert.True(set.Contains(65));
        set.Remove(65);
        Assert.False(set.Contains(65));

        Assert.False(FdSet.CanHold(FdSet.Capacity));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add(FdSet.Capacity));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add(-1));
    }

    [Fact]
    public unsafe void The_kernels_select_watches_a_descriptor_above_FD_SETSIZE_given_a_larger_bitmap()
    {
        const int High = (2 * FdSet.Capacity) - 1;
        Assert.True(ProcessDescriptors.RaiseSoftLimit(High + 1) > High, $"this case needs a soft RLIMIT_NOFILE above {High}");
        using var wake = EventFd.Create();
        using var high = ProcessDescriptors.DuplicateAtOrAbove(wake.Number, High);
        wake.Signal();

        // Twice FD_SETSIZE bits: glibc's fd_set could not name this descriptor; select(2) itself reads nfds bits.
        var bitmap = new ulong[2 * FdSet.Capacity / 64];
        bitmap[high.Number / 64] |= 1UL << (high.Number % 64);
        fixed (ulong* read = bitmap)
        {
            Assert.Equal(1, LibcSelect.Select(high.Number + 1, read, null, 0));
        }

        output.WriteLine($"select(2) reported descriptor {high.Number} readable in a {bitmap.Length * 64}-bit set");
        Assert.NotEqual(0UL, bitmap[high.Number / 64] & (1UL << (high.Number % 64)));
    }

    // Readable with nothing to read: EOF or reset. These clients never send, so the server never writes to them.
    private static bool ClosedByServer(TestClient client) => client.Socket.Poll(0, SelectMode.SelectRead) && client.Socket.Available == 0;

    /// <summary>Keeps the server's warnings, to count them.</summary>
    private sealed class RecordingLogger : ILogger
    {
        private readonly List<string> _warnings = [];

        public IReadOnlyList<string> Warnings
        {
            get
            {
                lock (_warnings)
                {
                    return [.. _warnings];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                lock (_warnings)
                {
                    _warnings.Add(formatter(state, exception));
                }
            }
        }
    }
}
