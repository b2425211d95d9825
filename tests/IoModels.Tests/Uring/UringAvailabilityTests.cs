using System.Net.Sockets;
using IoModels.Native;
using IoModels.Server.Models;
using IoModels.Server.Models.Uring;
using Microsoft.Extensions.Logging.Abstractions;
using static Tmds.Linux.LibC;

namespace IoModels.Tests.Uring;

/// <summary>Where io_uring cannot be used, the model says why in one exception the host turns into one line and exit 2.</summary>
public sealed class UringAvailabilityTests
{
    public static TheoryData<int, string> SetupFailures => new()
    {
        { ENOSYS, "ENOSYS" },
        { EPERM, "kernel.io_uring_disabled" },
        { ENOMEM, "locked-memory limit" },
    };

    [Theory]
    [MemberData(nameof(SetupFailures))]
    public void A_failing_io_uring_setup_makes_the_model_unavailable_with_the_reason(int error, string named)
    {
        using var metrics = new ServerMetrics();
        var context = new ServerContext(new ServerOptions { Model = "uring", Port = 0 }, metrics, NullLogger.Instance);

        var e = Assert.Throws<ModelUnavailableException>(() => new UringServer(context, (_, _) => throw new ErrnoException("io_uring_setup", error)));

        Assert.StartsWith("io_uring is unavailable: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_unavailable_model_leaves_no_port_bound()
    {
        using var metrics = new ServerMetrics();
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
        probe.Dispose();
        var context = new ServerContext(new ServerOptions { Model = "uring", Port = port }, metrics, NullLogger.Instance);

        Assert.Throws<ModelUnavailableException>(() => new UringServer(context, (_, _) => throw new ErrnoException("io_uring_setup", EPERM)));

        // The ring is checked before the listener is made: the port is still free.
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        again.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
    }

    [Fact]
    public void The_kernel_here_supports_every_operation_the_model_submits()
    {
        using var ring = IoUring.Create(8, 16);
        var probe = ring.Probe();

        Assert.True(probe.Supports(IORING_OP_ACCEPT));
        Assert.True(probe.Supports(IORING_OP_POLL_ADD));
        Assert.True(probe.Supports(IORING_OP_RECV));
        Assert.True(probe.Supports(IORING_OP_SEND));
        Assert.True(probe.Supports(IORING_OP_ASYNC_CANCEL));
        Assert.True(probe.Supports(IORING_OP_TIMEOUT));
        Assert.False(probe.Supports(byte.MaxValue));
    }
}
