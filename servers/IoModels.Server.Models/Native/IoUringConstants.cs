namespace IoModels.Server.Models.Native;

/// <summary>
/// io_uring values newer than Tmds.LibC 0.5.0, whose list stops at kernel 5.7. Each comes from the kernel's
/// <c>include/uapi/linux/io_uring.h</c> (the release that introduced it is named); everything older is used straight
/// from Tmds.LibC.
/// </summary>
internal static class IoUringConstants
{
    /// <summary><c>IORING_OP_SOCKET</c> (5.19): the first op of the release that also brought multishot accept.</summary>
    public const byte OpSocket = 45;

    /// <summary><c>IORING_ACCEPT_MULTISHOT</c> (5.19), in <c>sqe.ioprio</c> of an accept: one submission, a completion per connection.</summary>
    public const ushort AcceptMultishot = 1 << 0;

    /// <summary><c>IORING_CQE_F_MORE</c> (5.19): the submission stays armed and will post more completions.</summary>
    public const uint CompletionMore = 1 << 1;
}
