using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>
/// Owns one file descriptor and closes it exactly once. Descriptor numbers are reused by the kernel as soon as they
/// are closed, so a plain <c>int</c> that outlives its close would act on someone else's file; the handle's
/// reference count makes a close that races with a use wait for that use.
/// </summary>
internal sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    /// <summary>
    /// The number, for the owning thread's own calls. Only the thread that owns the descriptor (the one that will
    /// close it) may use this without <see cref="SafeHandle.DangerousAddRef"/>.
    /// </summary>
    public int Number => (int)handle;

    protected override bool ReleaseHandle() =>
        // Not retried on EINTR: on Linux the descriptor is released even then, and a retry could close a reused number.
        close((int)handle) == 0;
}
