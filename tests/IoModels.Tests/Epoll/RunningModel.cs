using System.Net;
using System.Net.Sockets;
using IoModels.Server.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoModels.Tests.Epoll;

/// <summary>An epoll model started in the test process on a free loopback port, and blocking clients for it.</summary>
internal sealed class RunningModel : IAsyncDisposable
{
    /// <summary>Bounds every socket operation and wait in these tests; generous for a busy 2-core machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly IServerModel _model;

    private RunningModel(IServerModel model, ServerMetrics metrics)
    {
        _model = model;
        Metrics = metrics;
    }

    public ServerMetrics Metrics { get; }

    public static RunningModel Start(string model)
    {
        var metrics = new ServerMetrics();
        var server = ServerModelCatalog.Create(new ServerContext(new ServerOptions { Model = model, Port = 0 }, metrics, NullLogger.Instance));
        server.Start();
        return new RunningModel(server, metrics);
    }

    /// <summary>A connected blocking client whose sends and receives time out after <see cref="Timeout"/>.</summary>
    public Socket Connect()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)Timeout.TotalMilliseconds,
            SendTimeout = (int)Timeout.TotalMilliseconds,
        };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, _model.LocalEndPoint.Port));
        return socket;
    }

    public Task StopAsync() => _model.StopAsync(new CancellationTokenSource(Timeout).Token);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _model.Dispose();
        Metrics.Dispose();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <see cref="Timeout"/> passes (false).</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>Reads exactly <paramref name="buffer"/>'s length; false if the peer closed first.</summary>
    public static bool ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int received = socket.Receive(buffer[filled..]);
            if (received == 0)
            {
                return false;
            }

            filled += received;
        }

        return true;
    }
}
