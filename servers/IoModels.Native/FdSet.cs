using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IoModels.Native;

/// <summary>
/// glibc's <c>fd_set</c>: a bitmap of <see cref="Capacity"/> (<c>FD_SETSIZE</c>) bits, one per descriptor number,
/// in 16 <c>long</c>s (128 bytes), bit <c>fd % 64</c> of word <c>fd / 64</c>, exactly as the <c>FD_SET</c>,
/// <c>FD_CLR</c> and <c>FD_ISSET</c> macros address it. A value type, so a loop keeps its interest in one pair of
/// sets and hands <c>select</c> a copy, which the call overwrites with the ready descriptors, as C code does.
/// </summary>
/// <remarks>
/// glibc's macros write past the set for a descriptor at or above <c>FD_SETSIZE</c> (a fortified build aborts instead);
/// these methods refuse it, so nothing is ever written outside the 128 bytes. A caller checks
/// <see cref="CanHold"/> first.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
internal struct FdSet
{
    /// <summary><c>FD_SETSIZE</c> in glibc: the descriptors an <c>fd_set</c> can name are 0 to this minus one.</summary>
    public const int Capacity = 1024;

    private const int BitsPerWord = 64;

    private Words _words;

    /// <summary>True when <paramref name="fd"/> has a bit in the set.</summary>
    public static bool CanHold(int fd) => (uint)fd < Capacity;

    /// <summary><c>FD_SET</c>.</summary>
    public void Add(int fd)
    {
        ThrowIfOutside(fd);
        _words[fd / BitsPerWord] |= Bit(fd);
    }

    /// <summary><c>FD_CLR</c>.</summary>
    public void Remove(int fd)
    {
        ThrowIfOutside(fd);
        _words[fd / BitsPerWord] &= ~Bit(fd);
    }

    /// <summary><c>FD_ISSET</c>.</summary>
    public readonly bool Contains(int fd)
    {
        ThrowIfOutside(fd);
        return (_words[fd / BitsPerWord] & Bit(fd)) != 0;
    }

    private static ulong Bit(int fd) => 1UL << (fd % BitsPerWord);

    private static void ThrowIfOutside(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fd, Capacity);
    }

    [InlineArray(Capacity / BitsPerWord)]
    private struct Words
    {
        private ulong _word;
    }
}
