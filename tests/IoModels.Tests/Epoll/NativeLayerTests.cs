using System.Net;
using System.Net.Sockets;
using IoModels.Native;
using IoModels.Server.Models;
using IoModels.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoModels.Tests.Epoll;

/// <summary>The native layer's error handling, as the host and the logs see it.</summary>
public sealed class NativeLayerTests
{
    [Theory]
    [InlineData("epoll-lt")]
    [InlineData("epoll-et")]
    public void A_port_in_use_surfaces_as_AddressAlreadyInUse(string model)
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        using var metrics = new ServerMetrics();

        var e = Assert.Throws<SocketException>(() => ServerModelCatalog.Create(new ServerContext(new ServerOptions { Model = model, Port = port }, metrics, NullLogger.Instance)));

        Assert.Equal(SocketError.AddressAlreadyInUse, e.SocketErrorCode);
        Assert.Contains("EADDRINUSE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_errno_is_described_by_name_and_text()
    {
        using var listener = NativeSocket.Listen(new IPEndPoint(IPAddress.Loopback, 0), 1, out _);

        // Nothing is pending on a fresh non-blocking listener: accept4 fails with EAGAIN, read straight after the call.
        Assert.Equal(-1, NativeSocket.Accept(listener.Number, out int error));
        Assert.True(Errno.IsWouldBlock(error));
        Assert.StartsWith("EAGAIN (", Errno.Describe(error), StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_connect_ends_as_ConnectionRefused()
    {
        // A port that was just free: nothing listens there.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var socket = NativeSocket.Create(AddressFamily.InterNetwork);
        using var epoll = EpollInstance.Create();

        int error = NativeSocket.Connect(socket.Number, (IPEndPoint)probe.LocalEndPoint!);
        if (Errno.IsInProgress(error))
        {
            // The handshake ends (here with the peer's reset) by the socket turning writable; SO_ERROR says how.
            epoll.Add(socket.Number, EpollEvents.Out, 1);
            Span<Tmds.Linux.epoll_event> events = stackalloc Tmds.Linux.epoll_event[1];
            Assert.Equal(1, epoll.Wait(events, (int)Timeouts.Operation.TotalMilliseconds));
            error = NativeSocket.PendingError(socket.Number);
        }

        Assert.Equal(SocketError.ConnectionRefused, Errno.ToSocketError(error));
        Assert.Equal(0, NativeSocket.PendingError(socket.Number));
    }

    [Fact]
    public void The_listener_reports_the_port_the_kernel_picked()
    {
        using var listener = NativeSocket.Listen(new IPEndPoint(IPAddress.Loopback, 0), 1, out var local);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        client.Connect(local);

        Assert.NotEqual(0, local.Port);
        int fd = NativeSocket.Accept(listener.Number, out _);
        using var accepted = new FileDescriptor(fd);
        Assert.Equal(client.LocalEndPoint, NativeSocket.GetPeerEndPoint(fd));
    }
}
