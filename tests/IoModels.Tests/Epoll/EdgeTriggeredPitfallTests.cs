using System.Net;
using System.Net.Sockets;
using IoModels.Native;
using IoModels.Protocol;
using IoModels.Tests.Infrastructure;
using Tmds.Linux;

namespace IoModels.Tests.Epoll;

/// <summary>
/// Why <c>epoll-et</c> drains every event (see the comment atop EdgeTriggeredConnection.cs): a reader that takes one
/// chunk per event gets everything when level-triggered but stalls when edge-triggered, with the rest of the bytes
/// still queued; the same edge-triggered reader draining to EAGAIN gets everything. Then the real model, pushed into
/// backpressure, must still resume the bytes no new edge will announce.
/// </summary>
public sealed class EdgeTriggeredPitfallTests
{
    private const int BurstBytes = 16 * 1024;
    private const int ChunkBytes = 512;

    // How long a wait that should report nothing is given before the reader concludes no event is coming.
    private const int QuietWaitMilliseconds = 200;

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    public void A_reader_gets_the_whole_burst_unless_it_is_edge_triggered_and_does_not_drain(bool edgeTriggered, bool drain, bool getsEverything)
    {
        using var listener = NativeSocket.Listen(new IPEndPoint(IPAddress.Loopback, 0), 1, out var local);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendTimeout = (int)Timeouts.Operation.TotalMilliseconds };
        client.Connect(local);
        int fd = NativeSocket.Accept(listener.Number, out int error);
        Assert.True(fd != -1, $"accept failed: {Errno.Describe(error)}");
        using var reader = new FileDescriptor(fd);
        using var epoll = EpollInstance.Create();
        epoll.Add(fd, EpollEvents.In | (edgeTriggered ? EpollEvents.EdgeTriggered : 0), token: 1);

        // One burst, many chunks long, and nothing sent after it: no later arrival can produce a fresh edge.
        client.Send(new byte[BurstBytes]);

        int readByEvents = ReadUntilNoEventComes(epoll, fd, drain);
        int stillQueued = DrainWithoutEpoll(fd, BurstBytes - readByEvents);

        if (getsEverything)
        {
            Assert.Equal(BurstBytes, readByEvents);
        }
        else
        {
            // The stall is real: epoll went quiet, and yet the rest of the burst was sitting in the socket all along.
            Assert.True(readByEvents < BurstBytes, $"read {readByEvents} of {BurstBytes} bytes through events");
            Assert.Equal(BurstBytes - readByEvents, stillQueued);
        }
    }

    [Theory]
    [InlineData("epoll-et")]
    [InlineData("epoll-lt")]
    public async Task The_model_resumes_reading_what_was_queued_when_backpressure_ends(string model)
    {
        // Far more than the 64 KiB output budget plus every socket buffer on the way (loopback autotuning stops at a
        // few MiB), sent before a single echo is read: the server must stop reading this peer, and resume later with
        // bytes that arrived long ago. Edge-triggered, no new EPOLLIN edge announces them.
        const int FrameBytes = 64 * 1024;
        const int Frames = 512;
        await using var server = InProcessServer.Start(model);
        using var client = BlockingClient.Connect(server.Port);
        byte[] frame = new byte[FrameBytes];
        FrameHeader.Write(frame, FrameBytes - FrameHeader.Size);
        var sender = Task.Run(() =>
        {
            for (int i = 0; i < Frames; i++)
            {
                frame[^1] = (byte)i;
                client.Send(frame);
            }
        });

        byte[] echo = new byte[FrameBytes];
        for (int i = 0; i < Frames; i++)
        {
            Assert.True(BlockingClient.ReceiveExactly(client, echo), $"the server closed the connection after {i} of {Frames} echoes");
            Assert.Equal((byte)i, echo[^1]);
        }

        await sender.WaitAsync(Timeouts.Operation);
    }

    /// <summary>Waits for events and reads one chunk per event (or, draining, until EAGAIN) until a wait comes back empty.</summary>
    private static int ReadUntilNoEventComes(EpollInstance epoll, int fd, bool drain)
    {
        Span<epoll_event> events = stackalloc epoll_event[1];
        byte[] chunk = new byte[ChunkBytes];
        int total = 0;
        // Bounded: the burst is BurstBytes / ChunkBytes chunks, and a level-triggered reader needs one event for each.
        for (int round = 0; round <= (BurstBytes / ChunkBytes) + 1; round++)
        {
            if (epoll.Wait(events, QuietWaitMilliseconds) == 0)
            {
                break;
            }

            do
            {
                long received = NativeSocket.Receive(fd, chunk, out int error);
                if (received <= 0)
                {
                    Assert.True(received == -1 && Errno.IsWouldBlock(error), $"recv returned {received}: {Errno.Describe(error)}");
                    break;
                }

                total += (int)received;
            }
            while (drain);
        }

        return total;
    }

    /// <summary>Reads up to <paramref name="expected"/> bytes straight from the socket, epoll left out; bounded in time.</summary>
    private static int DrainWithoutEpoll(int fd, int expected)
    {
        byte[] buffer = new byte[BurstBytes];
        int total = 0;
        var deadline = DateTime.UtcNow + Timeouts.Operation;
        while (total < expected && DateTime.UtcNow < deadline)
        {
            long received = NativeSocket.Receive(fd, buffer, out int error);
            if (received > 0)
            {
                total += (int)received;
            }
            else
            {
                Assert.True(received == -1 && Errno.IsWouldBlock(error), $"recv returned {received}: {Errno.Describe(error)}");
                Thread.Yield();
            }
        }

        return total;
    }
}
