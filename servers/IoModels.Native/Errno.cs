using System.Net.Sockets;
using System.Runtime.InteropServices;
using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>
/// What an <c>errno</c> value means. Callers read <c>errno</c> into a local straight after the failing call and
/// pass that value here: anything in between (even formatting a message) may make another call that overwrites it.
/// </summary>
internal static class Errno
{
    // Only the values a socket server meets; anything else is shown by number and text.
    private static readonly Dictionary<int, string> s_names = new()
    {
        [EAGAIN] = nameof(EAGAIN),
        [EINTR] = nameof(EINTR),
        [EBADF] = nameof(EBADF),
        [EINVAL] = nameof(EINVAL),
        [EFAULT] = nameof(EFAULT),
        [EPERM] = nameof(EPERM),
        [EACCES] = nameof(EACCES),
        [EMFILE] = nameof(EMFILE),
        [ENFILE] = nameof(ENFILE),
        [ENOBUFS] = nameof(ENOBUFS),
        [ENOMEM] = nameof(ENOMEM),
        [EPIPE] = nameof(EPIPE),
        [ECONNRESET] = nameof(ECONNRESET),
        [ECONNABORTED] = nameof(ECONNABORTED),
        [ENOTCONN] = nameof(ENOTCONN),
        [ETIMEDOUT] = nameof(ETIMEDOUT),
        [ECONNREFUSED] = nameof(ECONNREFUSED),
        [EINPROGRESS] = nameof(EINPROGRESS),
        [EHOSTUNREACH] = nameof(EHOSTUNREACH),
        [ENETUNREACH] = nameof(ENETUNREACH),
        [ENETDOWN] = nameof(ENETDOWN),
        [EPROTO] = nameof(EPROTO),
        [EADDRINUSE] = nameof(EADDRINUSE),
        [EADDRNOTAVAIL] = nameof(EADDRNOTAVAIL),
        [EAFNOSUPPORT] = nameof(EAFNOSUPPORT),
        [EOPNOTSUPP] = nameof(EOPNOTSUPP),
    };

    // Tmds.LibC's constants are properties, not const, so these cannot be a switch. The connect failures are the
    // names under which the load generator counts failed connections.
    private static readonly Dictionary<int, SocketError> s_socketErrors = new()
    {
        [EADDRINUSE] = SocketError.AddressAlreadyInUse,
        [EADDRNOTAVAIL] = SocketError.AddressNotAvailable,
        [EACCES] = SocketError.AccessDenied,
        [EPERM] = SocketError.AccessDenied,
        [EMFILE] = SocketError.TooManyOpenSockets,
        [ENFILE] = SocketError.TooManyOpenSockets,
        [ENOBUFS] = SocketError.NoBufferSpaceAvailable,
        [ENOMEM] = SocketError.NoBufferSpaceAvailable,
        [EAFNOSUPPORT] = SocketError.AddressFamilyNotSupported,
        [ECONNREFUSED] = SocketError.ConnectionRefused,
        [ETIMEDOUT] = SocketError.TimedOut,
        [ECONNRESET] = SocketError.ConnectionReset,
        [ECONNABORTED] = SocketError.ConnectionAborted,
        [EHOSTUNREACH] = SocketError.HostUnreachable,
        [ENETUNREACH] = SocketError.NetworkUnreachable,
        [ENETDOWN] = SocketError.NetworkDown,
    };

    /// <summary>The symbolic name, e.g. <c>ECONNRESET</c>, or <c>errno 123</c>.</summary>
    public static string Name(int error) => s_names.TryGetValue(error, out string? name) ? name : $"errno {error}";

    /// <summary>Name and the C library's text, e.g. <c>ECONNRESET (Connection reset by peer)</c>.</summary>
    public static string Describe(int error) => $"{Name(error)} ({Marshal.GetPInvokeErrorMessage(error)})";

    /// <summary>EAGAIN (the same value as EWOULDBLOCK on Linux): try again when epoll says so.</summary>
    public static bool IsWouldBlock(int error) => error == EAGAIN;

    public static bool IsInterrupted(int error) => error == EINTR;

    /// <summary>A non-blocking connect that has started and not yet ended.</summary>
    public static bool IsInProgress(int error) => error == EINPROGRESS;

    /// <summary>The peer reset or aborted the connection, or a write found it gone (EPIPE).</summary>
    public static bool IsConnectionReset(int error) => error == ECONNRESET || error == ECONNABORTED || error == EPIPE;

    /// <summary>Out of descriptors or kernel memory for a new socket: retrying at once would spin.</summary>
    public static bool IsDescriptorExhaustion(int error) => error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;

    /// <summary>
    /// The <see cref="SocketError"/> for the errno values callers branch on (the host turns AddressAlreadyInUse
    /// into "port in use", exit 2); any other value becomes <see cref="SocketError.SocketError"/>, its text kept in the message.
    /// </summary>
    public static SocketError ToSocketError(int error) => s_socketErrors.GetValueOrDefault(error, SocketError.SocketError);

    /// <summary>A <see cref="SocketException"/> with the mapped error code and a message naming the call and the errno.</summary>
    public static SocketException ToSocketException(string operation, int error) =>
        new((int)ToSocketError(error), $"{operation} failed: {Describe(error)}");
}
