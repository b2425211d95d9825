using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using IoModels.Protocol;

namespace IoModels.Tests.Infrastructure;

/// <summary>
/// Measures what an echo server allocates per message: a client does round trips of one framed message, and the
/// process-wide allocated-byte count (<see cref="GC.GetTotalAllocatedBytes(bool)"/>, precise) is read before and
/// after each window of measured ones. Works for any model served in this process.
/// </summary>
/// <remarks>
/// The count is process-wide because a model's work runs on threads it does not own (the thread pool, the runtime's
/// epoll thread), so per-thread counters would miss it. The client must therefore allocate nothing itself: a
/// blocking socket, synchronous span calls and buffers made before measuring, on a thread of its own (no tasks, no
/// awaits). What remains is the server's allocations plus background noise: the thread pool adding threads (each
/// new thread soon holds a 64 KiB array of its own in the shared <c>ArrayPool</c>'s thread-local cache) and the
/// test host. That noise comes in one-off bursts, a per-message allocation shows in every window, so callers judge
/// the quietest of several windows against the number of round trips in it (one object per message is at least
/// 24 bytes per round trip).
/// </remarks>
internal static class EchoAllocationMeter
{
    /// <summary>Bytes allocated in each window of <see cref="RoundTripsPerWindow"/> round trips.</summary>
    public sealed record Result(IReadOnlyList<long> WindowBytes, int RoundTripsPerWindow)
    {
        public long QuietestWindowBytes => WindowBytes.Min();

        public override string ToString() =>
            $"{string.Join(", ", WindowBytes)} bytes in windows of {RoundTripsPerWindow} round trips (quietest {(double)QuietestWindowBytes / RoundTripsPerWindow:F3} per round trip)";
    }

    public static Result Measure(IPEndPoint server, int payloadSize, int warmupRoundTrips, int roundTripsPerWindow, int windows, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        client.Connect(server);

        var request = new byte[FrameHeader.Size + payloadSize];
        BinaryPrimitives.WriteUInt32BigEndian(request, (uint)payloadSize);
        Random.Shared.NextBytes(request.AsSpan(FrameHeader.Size));
        var reply = new byte[request.Length];
        var windowBytes = new long[windows];
        bool finished = false;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                for (int i = 0; i < warmupRoundTrips; i++)
                {
                    RoundTrip(client, request, reply);
                }

                for (int w = 0; w < windows; w++)
                {
                    long before = GC.GetTotalAllocatedBytes(precise: true);
                    for (int i = 0; i < roundTripsPerWindow; i++)
                    {
                        RoundTrip(client, request, reply);
                    }

                    windowBytes[w] = GC.GetTotalAllocatedBytes(precise: true) - before;
                }

                finished = true;
            }
            catch (Exception e) when (e is SocketException or InvalidDataException)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "allocation meter client" };
        thread.Start();

        // Every socket call has its own timeout; this bounds the whole run.
        if (!thread.Join(timeout * 4))
        {
            client.Dispose();
            throw new TimeoutException($"The allocation measurement did not finish within {timeout * 4}.");
        }

        return finished ? new Result(windowBytes, roundTripsPerWindow) : throw new InvalidOperationException("The echo client failed.", failure);
    }

    private static void RoundTrip(Socket client, byte[] request, byte[] reply)
    {
        int sent = 0;
        while (sent < request.Length)
        {
            sent += client.Send(request.AsSpan(sent));
        }

        int received = 0;
        while (received < reply.Length)
        {
            int n = client.Receive(reply.AsSpan(received));
            if (n == 0)
            {
                throw new InvalidDataException("The server closed the connection mid-echo.");
            }

            received += n;
        }

        if (!reply.AsSpan().SequenceEqual(request))
        {
            throw new InvalidDataException("The echo differs from what was sent.");
        }
    }
}
