using System.Runtime.InteropServices;

namespace IoModels.Native;

/// <summary>
/// The kernel's <c>struct mmsghdr</c> with its <c>struct msghdr</c> and one <c>struct iovec</c>, laid out as on 64-bit
/// Linux. Declared here because Tmds.LibC has the structs but not <c>recvmmsg</c>/<c>sendmmsg</c>, and one layout
/// we own end to end is easier to check than mixing its structs with our imports.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DatagramMessageHeader
{
    /// <summary><c>msg_name</c>: the peer's address (filled by a receive, read by a send).</summary>
    public void* Name;

    /// <summary><c>msg_namelen</c>: room for the address before a receive, its length after.</summary>
    public uint NameLength;

    /// <summary><c>msg_iov</c>.</summary>
    public DatagramIoVector* Vectors;

    /// <summary><c>msg_iovlen</c>.</summary>
    public nuint VectorCount;

    public void* Control;

    public nuint ControlLength;

    /// <summary><c>msg_flags</c>: after a receive, MSG_TRUNC when the datagram was longer than the buffer.</summary>
    public int Flags;

    /// <summary>The padding that ends <c>struct msghdr</c> at a multiple of 8, before <c>msg_len</c>.</summary>
    private readonly int _padding;

    /// <summary><c>msg_len</c> of the enclosing <c>mmsghdr</c>: bytes received or sent for this message.</summary>
    public uint Length;
}

/// <summary>The kernel's <c>struct iovec</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct DatagramIoVector
{
    public void* Base;

    public nuint Length;
}
