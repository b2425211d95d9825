namespace IoModels.Native;

/// <summary>Which io_uring operations the running kernel supports, as <c>IORING_REGISTER_PROBE</c> reported them.</summary>
internal sealed class IoUringProbe(byte lastOp, bool[] supported)
{
    /// <summary>The highest opcode the kernel knows.</summary>
    public byte LastOp { get; } = lastOp;

    public bool Supports(byte opcode) => opcode < supported.Length && supported[opcode];
}
