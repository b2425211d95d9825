using System.Diagnostics.Metrics;
using System.Globalization;
using IoModels.Protocol.Threading;

namespace IoModels.Server.Models;

/// <summary>
/// The server's counters, published as the <c>IoModels.Server</c> meter so <c>dotnet-counters</c> can watch a
/// live server. Hot paths only add to plain fields; the instruments read them when a listener asks.
/// </summary>
public sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "IoModels.Server";

    private readonly Meter _meter;
    private long _accepted;
    private long _active;
    private long _peak;
    private long _bytesReceived;
    private long _bytesSent;
    private long _messages;
    private long _protocolErrors;
    private long _refused;
    private long _idleClosed;
    private long _closedAfterLimit;

    public ServerMetrics()
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("iomodels.server.connections.accepted", () => ConnectionsAccepted, "{connection}", "Connections accepted since start");
        _meter.CreateObservableUpDownCounter("iomodels.server.connections.active", () => ConnectionsActive, "{connection}", "Connections open now");
        _meter.CreateObservableGauge("iomodels.server.connections.peak", () => ConnectionsPeak, "{connection}", "Most connections open at once");
        _meter.CreateObservableCounter("iomodels.server.bytes.received", () => BytesReceived, "By", "Bytes read from peers");
        _meter.CreateObservableCounter("iomodels.server.bytes.sent", () => BytesSent, "By", "Bytes echoed to peers");
        _meter.CreateObservableCounter("iomodels.server.messages", () => Messages, "{message}", "Whole framed messages received");
        _meter.CreateObservableCounter("iomodels.server.protocol_errors", () => ProtocolErrors, "{error}", "Connections closed for a protocol violation");
        _meter.CreateObservableCounter("iomodels.server.connections.refused", () => ConnectionsRefused, "{connection}", "Connections closed at once because the model cannot watch their descriptor (select-libc: FD_SETSIZE and above)");
        _meter.CreateObservableCounter("iomodels.server.connections.idle_closed", () => ConnectionsClosedIdle, "{connection}", "Connections closed by the server after --idle-timeout without progress");
        _meter.CreateObservableCounter("iomodels.server.connections.closed_after_limit", () => ConnectionsClosedAfterLimit, "{connection}", "Connections closed by the server after --close-after echoes");
    }

    public long ConnectionsAccepted => Interlocked.Read(ref _accepted);

    public long ConnectionsActive => Interlocked.Read(ref _active);

    public long ConnectionsPeak => Interlocked.Read(ref _peak);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long Messages => Interlocked.Read(ref _messages);

    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>Connections accepted and closed at once, never served: their descriptor was beyond the model's limit.</summary>
    public long ConnectionsRefused => Interlocked.Read(ref _refused);

    /// <summary>Connections the server closed because they made no progress for the idle timeout.</summary>
    public long ConnectionsClosedIdle => Interlocked.Read(ref _idleClosed);

    /// <summary>Connections the server closed, as the active closer, once their <c>--close-after</c> echoes were sent.</summary>
    public long ConnectionsClosedAfterLimit => Interlocked.Read(ref _closedAfterLimit);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _accepted);
        InterlockedBound.RaiseTo(ref _peak, Interlocked.Increment(ref _active));
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _active);

    public void Received(int bytes, int messages)
    {
        Interlocked.Add(ref _bytesReceived, bytes);
        if (messages != 0)
        {
            Interlocked.Add(ref _messages, messages);
        }
    }

    public void Sent(int bytes) => Interlocked.Add(ref _bytesSent, bytes);

    public void ProtocolError() => Interlocked.Increment(ref _protocolErrors);

    public void ConnectionRefused() => Interlocked.Increment(ref _refused);

    public void ConnectionIdleClosed() => Interlocked.Increment(ref _idleClosed);

    public void ConnectionClosedAfterLimit() => Interlocked.Increment(ref _closedAfterLimit);

    /// <summary>One line for the log at shutdown.</summary>
    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"connections accepted={ConnectionsAccepted} active={ConnectionsActive} peak={ConnectionsPeak}; bytes in={BytesReceived} out={BytesSent}; messages={Messages}; protocol errors={ProtocolErrors}; refused over the descriptor limit={ConnectionsRefused}; closed idle={ConnectionsClosedIdle}; closed after --close-after={ConnectionsClosedAfterLimit}");

    public void Dispose() => _meter.Dispose();
}
