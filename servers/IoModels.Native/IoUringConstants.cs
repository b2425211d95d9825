namespace IoModels.Native;

/// <summary>
/// io_uring values newer than Tmds.LibC 0.5.0, whose list stops at kernel 5.7. Each comes from the kernel's
/// <c>include/uapi/linux/io_uring.h</c> (the release that introduced it is named); everything older is used straight
/// from Tmds.LibC.
/// </summary>
internal static class IoUringConstants
{
    /// <summary><c>IORING_SETUP_R_DISABLED</c> (5.10): the ring starts disabled until <see cref="RegisterEnableRings"/>.</summary>
    public const uint SetupRingsDisabled = 1 << 6;

    /// <summary><c>IORING_SETUP_COOP_TASKRUN</c> (5.19): no interrupting the submitter to run completion work; it runs at the next enter.</summary>
    public const uint SetupCooperativeTaskRun = 1 << 8;

    /// <summary><c>IORING_SETUP_SINGLE_ISSUER</c> (6.0): one thread submits, so the kernel can skip locking.</summary>
    public const uint SetupSingleIssuer = 1 << 12;

    /// <summary><c>IORING_SETUP_DEFER_TASKRUN</c> (6.1, needs SINGLE_ISSUER): completion work runs only inside the submitter's waiting enter.</summary>
    public const uint SetupDeferTaskRun = 1 << 13;

    /// <summary><c>IORING_REGISTER_ENABLE_RINGS</c> (5.10): enables a ring made with R_DISABLED; a single issuer is the thread that calls it.</summary>
    public const uint RegisterEnableRings = 12;

    /// <summary><c>IORING_OP_SOCKET</c> (5.19): the first op of the release that also brought multishot accept.</summary>
    public const byte OpSocket = 45;

    /// <summary><c>IORING_ACCEPT_MULTISHOT</c> (5.19), in <c>sqe.ioprio</c> of an accept: one submission, a completion per connection.</summary>
    public const ushort AcceptMultishot = 1 << 0;

    /// <summary><c>IORING_CQE_F_MORE</c> (5.19): the submission stays armed and will post more completions.</summary>
    public const uint CompletionMore = 1 << 1;
}
