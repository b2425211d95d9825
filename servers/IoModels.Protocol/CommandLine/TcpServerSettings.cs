using System.Net;

namespace IoModels.Protocol.CommandLine;

/// <summary>The options every TCP echo server of the project takes (docs/server.md#options), read by <see cref="TcpServerCommandLine"/>.</summary>
public sealed record TcpServerSettings
{
    public required IPAddress Address { get; init; }

    public required int Port { get; init; }

    public required Framing Framing { get; init; }

    public required int MaxFrame { get; init; }

    public required bool NoDelay { get; init; }

    public required int Backlog { get; init; }

    /// <summary><see cref="TimeSpan.Zero"/>: never.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>0: never.</summary>
    public required int CloseAfter { get; init; }
}
