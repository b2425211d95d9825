using System.Net;
using System.Net.Sockets;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>Converts between <see cref="IPEndPoint"/> and the kernel's <c>sockaddr_in</c>/<c>sockaddr_in6</c>.</summary>
internal static unsafe class SocketAddresses
{
    /// <summary>Fills <paramref name="storage"/> and returns the length to pass with it.</summary>
    public static socklen_t Write(IPEndPoint endPoint, sockaddr_storage* storage)
    {
        *storage = default;
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            var address = (sockaddr_in*)storage;
            address->sin_family = AF_INET;
            address->sin_port = htons((ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(new Span<byte>(&address->sin_addr, 4), out _);
            return SizeOf.sockaddr_in;
        }

        var address6 = (sockaddr_in6*)storage;
        address6->sin6_family = AF_INET6;
        address6->sin6_port = htons((ushort)endPoint.Port);
        address6->sin6_scope_id = (uint)endPoint.Address.ScopeId;
        endPoint.Address.TryWriteBytes(new Span<byte>(&address6->sin6_addr, 16), out _);
        return SizeOf.sockaddr_in6;
    }

    /// <summary>The end point in <paramref name="storage"/>, or null for a family other than IPv4/IPv6.</summary>
    public static IPEndPoint? Read(sockaddr_storage* storage)
    {
        if (storage->ss_family == AF_INET)
        {
            var address = (sockaddr_in*)storage;
            return new IPEndPoint(new IPAddress(new ReadOnlySpan<byte>(&address->sin_addr, 4)), ntohs(address->sin_port));
        }

        if (storage->ss_family == AF_INET6)
        {
            var address6 = (sockaddr_in6*)storage;
            return new IPEndPoint(new IPAddress(new ReadOnlySpan<byte>(&address6->sin6_addr, 16), address6->sin6_scope_id), ntohs(address6->sin6_port));
        }

        return null;
    }
}
