using System.Runtime.InteropServices;

namespace IoModels.Native;

/// <summary>
/// The kernel's <c>struct __kernel_timespec</c> (two 64-bit fields on every architecture), as io_uring's timeout
/// takes it; libc's <c>timespec</c> has a 32-bit <c>time_t</c> on 32-bit ARM, so it cannot stand in for it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringTimespec
{
    public long Seconds;
    public long Nanoseconds;

    public static IoUringTimespec From(TimeSpan duration) => new()
    {
        Seconds = duration.Ticks / TimeSpan.TicksPerSecond,
        Nanoseconds = duration.Ticks % TimeSpan.TicksPerSecond * TimeSpan.NanosecondsPerTick,
    };
}
