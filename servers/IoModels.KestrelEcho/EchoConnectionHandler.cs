using System.Buffers;
using System.IO.Pipelines;
using IoModels.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace IoModels.KestrelEcho;

/// <summary>
/// One connection's echo over Kestrel's pipes. Framed: whole messages found with <see cref="FrameDecoder"/> are
/// copied to the output and the partial tail is left in the input pipe (examined, not consumed). Raw: everything
/// is copied. Backpressure is Kestrel's: <c>FlushAsync</c> waits while the output pipe holds the budget, so this
/// loop stops reading, the input pipe fills to its limit, and the transport stops reading the socket.
/// </summary>
internal sealed class EchoConnectionHandler(KestrelEchoOptions options, ProtocolErrorCounter errors, ILogger<EchoConnectionHandler> logger) : ConnectionHandler
{
    private readonly FrameDecoder _decoder = new(options.MaxFrame);

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        // Shutdown asks each connection to close; a pending read or flush then returns IsCanceled instead of waiting
        // for a peer that may never send or read again. One registration per connection, nothing per read.
        var closeRequested = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested ?? CancellationToken.None;
        using var registration = closeRequested.UnsafeRegister(static state => CancelPending((IDuplexPipe)state!), connection.Transport);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                if (result.IsCanceled)
                {
                    AbortForShutdown(connection);
                    return;
                }

                var buffer = result.Buffer;
                var echoed = Echo(buffer, output, out var status, out uint declaredLength);
                input.AdvanceTo(echoed.End, buffer.End);
                if (status == DecodeStatus.TooLarge)
                {
                    errors.Increment();
                    KestrelEchoLog.ProtocolViolation(logger, connection.RemoteEndPoint?.ToString() ?? connection.ConnectionId, declaredLength, options.MaxFrame);
                    // The messages before the bad header were fine: their echo goes out, then the connection closes
                    // (returning completes the pipes; Kestrel closes the socket once the output is sent).
                    _ = await output.FlushAsync();
                    return;
                }

                if (!echoed.IsEmpty)
                {
                    var flush = await output.FlushAsync();
                    if (flush.IsCanceled)
                    {
                        AbortForShutdown(connection);
                        return;
                    }

                    if (flush.IsCompleted)
                    {
                        return;
                    }
                }

                // The peer half-closed (or closed mid-message): every whole message has been flushed above; a partial
                // one is dropped. Returning completes the output, so Kestrel sends what is pending, then the FIN.
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (ConnectionResetException e)
        {
            KestrelEchoLog.ConnectionFailed(logger, connection.RemoteEndPoint?.ToString() ?? connection.ConnectionId, e.Message);
        }
    }

    /// <summary>
    /// Closes at once: returning alone would complete the output and leave Kestrel sending it to a peer that may
    /// never read, holding up shutdown until the host's timeout.
    /// </summary>
    private static void AbortForShutdown(ConnectionContext connection) =>
        connection.Abort(new ConnectionAbortedException("server shutting down"));

    private static void CancelPending(IDuplexPipe transport)
    {
        transport.Input.CancelPendingRead();
        transport.Output.CancelPendingFlush();
    }

    /// <summary>Copies what is to be echoed from <paramref name="buffer"/> to <paramref name="output"/> and returns it.</summary>
    private ReadOnlySequence<byte> Echo(in ReadOnlySequence<byte> buffer, PipeWriter output, out DecodeStatus status, out uint declaredLength)
    {
        declaredLength = 0;
        status = DecodeStatus.Complete;
        var whole = buffer;
        if (options.Framing == Framing.Framed)
        {
            var remaining = buffer;
            while ((status = _decoder.TryDecode(remaining, out var frame, out declaredLength)) == DecodeStatus.Complete)
            {
                remaining = remaining.Slice(frame.End);
            }

            whole = buffer.Slice(0, remaining.Start);
        }

        foreach (var segment in whole)
        {
            output.Write(segment.Span);
        }

        return whole;
    }
}
