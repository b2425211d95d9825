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
}
