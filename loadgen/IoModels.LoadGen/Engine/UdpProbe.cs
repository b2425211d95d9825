using System.Diagnostics;
using System.Net.Sockets;
using IoModels.LoadGen.Options;

namespace IoModels.LoadGen.Engine;

/// <summary>
/// Before a UDP run: is anything listening? UDP has no handshake, so the probe sends an empty datagram (an echo
/// server sends an empty one back) every 100 ms for up to <c>--connect-timeout</c>. An echo, or silence, lets the run
/// start; only the kernel's ICMP port unreachable (ECONNREFUSED) proves nothing listens, and is exit 3. A server that
/// stays silent through the run is then told by its verdict: no echo verified, exit 4.
/// </summary>
internal static class UdpProbe
{
    private static readonly TimeSpan s_resendInterval = TimeSpan.FromMilliseconds(100);

    /// <exception cref="TargetUnreachableException">The target's kernel says no socket is bound to the port.</exception>
    public static void Check(LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var socket = new Socket(options.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(options.EndPoint);
        }
        catch (SocketException e)
        {
            throw new TargetUnreachableException($"cannot reach udp {options.Target}: {e.SocketErrorCode}", e);
        }

        var buffer = new byte[UdpDatagram.MaxReceiveBuffer];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < options.ConnectTimeout)
        {
            socket.Send(ReadOnlySpan<byte>.Empty, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                var wait = options.ConnectTimeout - clock.Elapsed;
                if (!socket.Poll(wait < s_resendInterval ? wait : s_resendInterval, SelectMode.SelectRead))
                {
                    continue;
                }

                socket.Receive(buffer, SocketFlags.None, out error);
                if (error == SocketError.Success)
                {
                    return;
                }
            }

            throw new TargetUnreachableException(error == SocketError.ConnectionRefused
                ? $"nothing listens on udp {options.Target}: ICMP port unreachable"
                : $"cannot reach udp {options.Target}: {error}");
        }
    }
}
