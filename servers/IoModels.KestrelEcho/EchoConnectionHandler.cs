using System.Buffers;
using System.IO.Pipelines;
using IoModels.Protocol;
using IoModels.Protocol.CommandLine;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace IoModels.KestrelEcho;

/// <summary>
/// One connection's echo over Kestrel's pipes. Framed and line: whole messages found with <see cref="FrameDecoder"/>
/// or by the delimiter are copied to the output and the partial tail is left in the input pipe (examined, not
/// consumed). Raw: everything is copied. Backpressure is Kestrel's: <c>FlushAsync</c> waits while the output pipe
/// holds the budget, so this loop stops reading, the input pipe fills to its limit, and the transport stops reading
/// the socket. <c>--close-after</c> returns after the Nth echo is flushed, and Kestrel closes the socket: the server
/// closes first. <c>--idle-timeout</c> is <see cref="IdleWatch"/>'s.
/// </summary>
internal sealed class EchoConnectionHandler(TcpServerSettings options, KestrelEchoCounters counters, ILogger<EchoConnectionHandler> logger) : ConnectionHandler
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
        var idle = IdleWatch.Start(connection, options.IdleTimeout, counters);
        int messagesLeft = options.CloseAfter > 0 ? options.CloseAfter : int.MaxValue;
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
                var echoed = Echo(buffer, output, messagesLeft, out var status, out uint declaredLength, out int messages);
                input.AdvanceTo(echoed.End, buffer.End);
                if (messages > 0 || (options.Framing == Framing.Raw && !echoed.IsEmpty))
                {
                    idle?.MarkProgress();
                }

                if (options.CloseAfter > 0)
                {
                    messagesLeft -= messages;
                }

                if (status == DecodeStatus.TooLarge)
                {
                    counters.ProtocolError();
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

                    idle?.MarkProgress();
                }

                if (messagesLeft == 0)
                {
                    // The close-after count is in and flushed: returning completes the output, and Kestrel sends it, then the FIN.
                    counters.ConnectionClosedAfterLimit();
                    return;
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
    /// <param name="maxMessages">Whole messages to take at most (close-after); the rest stays unconsumed.</param>
    private ReadOnlySequence<byte> Echo(in ReadOnlySequence<byte> buffer, PipeWriter output, int maxMessages, out DecodeStatus status, out uint declaredLength, out int messages)
    {
        declaredLength = 0;
        messages = 0;
        status = DecodeStatus.Complete;
        var whole = buffer;
        if (options.Framing == Framing.Framed)
        {
            var remaining = buffer;
            while (messages < maxMessages && (status = _decoder.TryDecode(remaining, out var frame, out declaredLength)) == DecodeStatus.Complete)
            {
                remaining = remaining.Slice(frame.End);
                messages++;
            }

            whole = buffer.Slice(0, remaining.Start);
        }
        else if (options.Framing == Framing.Line)
        {
            whole = buffer.Slice(0, TakeLines(buffer, maxMessages, out status, out declaredLength, out messages));
        }

        foreach (var segment in whole)
        {
            output.Write(segment.Span);
        }

        return whole;
    }

    /// <summary>Where the last whole line (at most <paramref name="maxMessages"/>) ends; a line past max-frame is <see cref="DecodeStatus.TooLarge"/>.</summary>
    private SequencePosition TakeLines(in ReadOnlySequence<byte> buffer, int maxMessages, out DecodeStatus status, out uint lineLength, out int messages)
    {
        status = DecodeStatus.Complete;
        lineLength = 0;
        messages = 0;
        var remaining = buffer;
        while (messages < maxMessages)
        {
            var newline = remaining.PositionOf(LineDecoder.Delimiter);
            long length = newline is { } end ? remaining.Slice(0, end).Length : remaining.Length;
            if (length > options.MaxFrame)
            {
                status = DecodeStatus.TooLarge;
                lineLength = (uint)Math.Min(length, uint.MaxValue);
                break;
            }

            if (newline is null)
            {
                break;
            }

            remaining = remaining.Slice(remaining.GetPosition(1, newline.Value));
            messages++;
        }

        return remaining.Start;
    }
}
