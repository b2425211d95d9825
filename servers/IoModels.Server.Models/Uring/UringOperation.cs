namespace IoModels.Server.Models.Uring;

/// <summary>
/// What a completion is for. A submission's 64-bit user data carries the kind in its low byte and, for a
/// connection's operations, the connection's slot above it (<see cref="UserData"/>): no allocation, no lookup beyond
/// an array index.
/// </summary>
internal enum UringOperation : byte
{
    Accept = 1,

    /// <summary>The eventfd another thread writes to wake the loop (stop requested).</summary>
    Wake,

    /// <summary>The timer that ends a pause in accepting (out of descriptors).</summary>
    AcceptRetry,

    /// <summary>An <c>IORING_OP_ASYNC_CANCEL</c> at shutdown; its own result is of no interest.</summary>
    Cancel,

    /// <summary>The timer that bounds the wait for cancelled operations at shutdown.</summary>
    ShutdownDeadline,

    /// <summary>The timer of the idle sweep (<see cref="IdleSweep"/>), re-armed after each sweep.</summary>
    IdleSweep,

    /// <summary>A connection waits for readability without holding a buffer.</summary>
    Poll,

    Receive,

    Send,
}

/// <summary>Packs and unpacks <see cref="UringOperation"/> and a connection slot into a submission's user data.</summary>
internal static class UserData
{
    public static ulong For(UringOperation operation, int slot = 0) => ((ulong)(uint)slot << 8) | (byte)operation;

    public static UringOperation Operation(ulong userData) => (UringOperation)(byte)userData;

    public static int Slot(ulong userData) => (int)(userData >> 8);
}
