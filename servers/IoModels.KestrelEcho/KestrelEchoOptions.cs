using System.Net;
using IoModels.Protocol;

namespace IoModels.KestrelEcho;

/// <summary>The server options (docs/server.md#options) that apply to the Kestrel peer (it has no <c>--model</c>).</summary>
internal sealed record KestrelEchoOptions
{
    /// <summary>Backpressure (docs/protocol.md#backpressure): the per-connection output budget, also Kestrel's input and output pipe limit.</summary>
    public const int OutputBudget = 64 * 1024;

    public required IPAddress Address { get; init; }

    public required int Port { get; init; }

    public required Framing Framing { get; init; }

    public required int MaxFrame { get; init; }

    public required bool NoDelay { get; init; }

    public required int Backlog { get; init; }
}
