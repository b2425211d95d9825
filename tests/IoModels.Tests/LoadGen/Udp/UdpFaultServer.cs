using System.Net;
using System.Net.Sockets;
using IoModels.Tests.Infrastructure;

namespace IoModels.Tests.LoadGen.Udp;

/// <summary>
/// A UDP echo test double on loopback (port 0) that does one <see cref="UdpFault"/> to every N-th datagram and counts
/// exactly what it did, so the load generator's counts can be held against it. Empty datagrams (the load generator's
/// probe) are echoed as they are and not counted. One thread; every receive is bounded by a short timeout, so the
/// loop notices <see cref="Dispose"/>, and the whole server by <see cref="Timeouts.Case"/>.
/// </summary>
internal sealed class UdpFaultServer : IDisposable
{
    // How long a reordering server holds a datagram whose flow sends nothing more: then it goes out unswapped.
    private static readonly TimeSpan s_holdLimit = TimeSpan.FromMilliseconds(50);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly UdpFault _fault;
    private readonly int _every;
    private readonly int _countAbove;
    private readonly Thread _thread;
    private readonly Dictionary<EndPoint, (byte[] Datagram, DateTime Since)> _held = [];
    private volatile bool _stopping;

    /// <param name="fault">What to do.</param>
    /// <param name="every">To which datagrams: the N-th, 2N-th, ... received.</param>
    /// <param name="countAbove">Also count the datagrams longer than this many bytes (<see cref="LongerThanThreshold"/>).</param>
    public UdpFaultServer(UdpFault fault, int every = 1, int countAbove = int.MaxValue)
    {
        _fault = fault;
        _every = every;
        _countAbove = countAbove;
        _socket.ReceiveBufferSize = 1 << 20;
        _socket.ReceiveTimeout = 10;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _thread = new Thread(Serve) { IsBackground = true, Name = $"udp fault server ({fault})" };
        _thread.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Datagrams received, empty ones left out. Read after <see cref="Dispose"/>.</summary>
    public long Received { get; private set; }

    /// <summary>Datagrams the fault was done to (dropped, duplicated, swapped, truncated or corrupted).</summary>
    public long Faults { get; private set; }

    /// <summary>Datagrams longer than the <c>countAbove</c> threshold.</summary>
    public long LongerThanThreshold { get; private set; }

    /// <summary>Set when the loop failed; the test then shows why.</summary>
    public Exception? Failure { get; private set; }

    public void Dispose()
    {
        _stopping = true;
        Assert.True(_thread.Join(Timeouts.Operation), "the UDP fault server did not stop");
        _socket.Dispose();
    }

    private void Serve()
    {
        var buffer = new byte[65_536];
        var deadline = DateTime.UtcNow + Timeouts.Case;
        try
        {
            while (!_stopping && DateTime.UtcNow < deadline)
            {
                ReleaseHeld(DateTime.UtcNow - s_holdLimit);
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int length;
                try
                {
                    length = _socket.ReceiveFrom(buffer, ref from);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
                {
                    continue;
                }

                var datagram = buffer.AsSpan(0, length).ToArray();
                if (length == 0)
                {
                    _socket.SendTo(datagram, from);
                    continue;
                }

                Received++;
                if (length > _countAbove)
                {
                    LongerThanThreshold++;
                }

                Handle(datagram, from, Received % _every == 0);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Failure = e;
        }
    }

    private void Handle(byte[] datagram, EndPoint from, bool faulty)
    {
        if (_fault == UdpFault.Reorder)
        {
            if (_held.Remove(from, out var held))
            {
                // The later datagram first, then the one held: a pair swapped.
                _socket.SendTo(datagram, from);
                _socket.SendTo(held.Datagram, from);
                Faults++;
            }
            else
            {
                _held[from] = (datagram, DateTime.UtcNow);
            }

            return;
        }

        if (!faulty || _fault == UdpFault.None)
        {
            _socket.SendTo(datagram, from);
            return;
        }

        Faults++;
        switch (_fault)
        {
            case UdpFault.Drop:
                break;
            case UdpFault.Duplicate:
                _socket.SendTo(datagram, from);
                _socket.SendTo(datagram, from);
                break;
            case UdpFault.Truncate:
                _socket.SendTo(datagram.AsSpan(0, datagram.Length / 2), SocketFlags.None, from);
                break;
            case UdpFault.Corrupt:
                datagram[^1] ^= 0x01;
                _socket.SendTo(datagram, from);
                break;
        }
    }

    /// <summary>Echoes, in order and unswapped, what has been held since before <paramref name="heldBefore"/>.</summary>
    private void ReleaseHeld(DateTime heldBefore)
    {
        foreach (var (peer, held) in _held.Where(p => p.Value.Since < heldBefore).ToArray())
        {
            _socket.SendTo(held.Datagram, peer);
            _held.Remove(peer);
        }
    }
}
