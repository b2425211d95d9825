using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace IoModels.Server.Models.Udp;

/// <summary>
/// One receive loop's own event args, awaitable without an allocation (<see cref="IValueTaskSource{TResult}"/>): a
/// receive, then the send of the echo to the address the receive filled in, and again.
/// </summary>
/// <remarks>
/// Why not <c>Socket.ReceiveFromAsync(Memory, SocketFlags, SocketAddress)</c>: a socket caches one event args per
/// direction for those calls, and with several loops each holding a receive outstanding on the one socket, the ones
/// that find the cache taken allocate a new one and drop it afterwards: 10 to 22 bytes per datagram on average in the
/// allocation case of the UDP conformance suite (issue 15), against nothing with one loop. Each loop owning its
/// args, as the TCP saea model's connections do, takes the cache out of the picture.
/// </remarks>
internal sealed class DatagramOperation : SocketAsyncEventArgs, IValueTaskSource<int>
{
    private ManualResetValueTaskSourceCore<int> _source;

    public DatagramOperation(AddressFamily family, Memory<byte> buffer)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        // Filled in by each receive; the runtime makes a new endpoint only when the sender changes.
        RemoteEndPoint = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        Whole = buffer;
        SetBuffer(buffer);
    }

    /// <summary>The whole receive buffer (the args' own <c>MemoryBuffer</c> is cut to the echo while it is sent).</summary>
    public Memory<byte> Whole { get; }

    /// <summary>Completes with the datagram's length, or throws the <see cref="SocketException"/> of the receive.</summary>
    public ValueTask<int> ReceiveFromAsync(Socket socket)
    {
        _source.Reset();
        SetBuffer(Whole);
        if (!socket.ReceiveFromAsync(this))
        {
            Complete();
        }

        return new ValueTask<int>(this, _source.Version);
    }

    /// <summary>Sends the first <paramref name="length"/> bytes of the buffer back to the sender of the last receive.</summary>
    public ValueTask<int> SendToAsync(Socket socket, int length)
    {
        _source.Reset();
        SetBuffer(Whole[..length]);
        if (!socket.SendToAsync(this))
        {
            Complete();
        }

        return new ValueTask<int>(this, _source.Version);
    }

    int IValueTaskSource<int>.GetResult(short token) => _source.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags);

    protected override void OnCompleted(SocketAsyncEventArgs e) => Complete();

    private void Complete()
    {
        if (SocketError == SocketError.Success)
        {
            _source.SetResult(BytesTransferred);
        }
        else
        {
            _source.SetException(new SocketException((int)SocketError));
        }
    }
}
