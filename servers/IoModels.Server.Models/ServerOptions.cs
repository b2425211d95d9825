using System.Net;
using IoModels.Protocol;

namespace IoModels.Server.Models;

/// <summary>How a server is started: the options of docs/server.md#options, already validated.</summary>
public sealed record ServerOptions
{
    /// <summary>Pending echo bytes per connection above which the server stops reading that peer (docs/protocol.md#backpressure).</summary>
    public const int DefaultOutputBudget = 64 * 1024;

    public required string Model { get; init; }

    public IPAddress Address { get; init; } = IPAddress.Loopback;

    public int Port { get; init; } = 7007;

    /// <summary><c>tcp</c> or <c>udp</c> (the models of <see cref="Udp.UdpModelCatalog"/>).</summary>
    public string Transport { get; init; } = "tcp";

    public Framing Framing { get; init; } = Framing.Framed;

    public int MaxFrame { get; init; } = FrameHeader.DefaultMaxFrame;

    public bool NoDelay { get; init; } = true;

    public int Backlog { get; init; } = 1024;

    public int OutputBudget { get; init; } = DefaultOutputBudget;

    /// <summary>
    /// A connection that completes no message and sends no echo byte for this long is closed (docs/server.md#idle-timeout);
    /// <see cref="TimeSpan.Zero"/> turns it off.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = ServerDefaults.IdleTimeout;

    /// <summary>Close a connection once this many echoes have been sent on it (the server closes first); 0 never.</summary>
    public int CloseAfter { get; init; }
}
