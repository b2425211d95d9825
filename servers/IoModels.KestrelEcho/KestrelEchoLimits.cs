namespace IoModels.KestrelEcho;

/// <summary>The limits the peer sets on Kestrel itself, beside the command-line options.</summary>
internal static class KestrelEchoLimits
{
    /// <summary>Backpressure (docs/protocol.md#backpressure): the per-connection output budget, also Kestrel's input and output pipe limit.</summary>
    public const int OutputBudget = 64 * 1024;
}
