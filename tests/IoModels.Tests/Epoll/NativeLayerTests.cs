using System.Net;
using System.Net.Sockets;
using IoModels.Server.Models;
using IoModels.Native;
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
