using System.Net;

namespace IoModels.Server.Models.Udp;

/// <summary>How big a receive buffer must be to tell a datagram above max-frame from one at it.</summary>
internal static class UdpDatagramLimit
{
    /// <summary>
    /// The largest UDP payload any datagram can carry (over IPv6 without jumbograms; IPv4 allows a little less),
    /// so max-frame above it needs no bigger buffer.
    /// </summary>
    public const int LargestPayload = 65_527;

    /// <summary>
    /// One byte more than max-frame: a datagram that fills it is too long, whatever the kernel says about the cut.
    /// </summary>
    public static int BufferSize(int maxFrame) => Math.Min(maxFrame, LargestPayload) + 1;

    public static bool IsOversize(int received, int maxFrame) => received > maxFrame;

    /// <summary>
    /// Counts one received datagram; one above max-frame is dropped (counted, and logged rate-limited by the
    /// metrics), any other is counted as received bytes. The one-datagram-at-a-time models share this step.
    /// </summary>
    /// <param name="peer">The sender (a <see cref="SocketAddress"/> or an <see cref="EndPoint"/>), formatted only for the log.</param>
    public static bool Admit(ServerContext context, UdpMetrics datagrams, int received, object peer)
    {
        datagrams.Received(1);
        if (IsOversize(received, context.Options.MaxFrame))
        {
            if (datagrams.Oversize())
            {
                ServerLog.UdpOversizeDropped(context.Logger, peer.ToString() ?? "a peer", context.Options.MaxFrame);
            }

            return false;
        }

        context.Metrics.Received(received, 1);
        return true;
    }
}
