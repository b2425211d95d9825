using System.Runtime.InteropServices;
using IoModels.Native;

namespace IoModels.Tests.Udp;

/// <summary>Our <c>struct mmsghdr</c> must match the kernel's 64-bit layout, or recvmmsg fills the wrong fields.</summary>
public sealed class DatagramMessageHeaderLayoutTests
{
    [Fact]
    public unsafe void The_header_has_the_kernels_size_and_msg_len_offset()
    {
        Assert.Equal(64, sizeof(DatagramMessageHeader));
        Assert.Equal(48, (int)Marshal.OffsetOf<DatagramMessageHeader>(nameof(DatagramMessageHeader.Flags)));
        Assert.Equal(56, (int)Marshal.OffsetOf<DatagramMessageHeader>(nameof(DatagramMessageHeader.Length)));
        Assert.Equal(16, sizeof(DatagramIoVector));
    }
}
