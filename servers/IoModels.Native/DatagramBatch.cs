using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>
/// A fixed set of datagram slots in native memory, received into with one <c>recvmmsg</c> and echoed from with
/// <c>sendmmsg</c>. Everything is allocated once, so a batch costs no managed allocation, and the slots bound what
/// the server holds: datagrams a slower server cannot take wait in (and overflow from) the kernel's buffer.
/// One thread owns a batch; a batch is either receiving or holding echoes to send, never both.
/// </summary>
internal sealed unsafe partial class DatagramBatch : IDisposable
{
    private readonly int _capacity;
    private readonly int _slotSize;
    private readonly byte* _buffers;
    private readonly sockaddr_storage* _addresses;
    private readonly DatagramIoVector* _receiveVectors;
    private readonly DatagramIoVector* _sendVectors;
    private readonly DatagramMessageHeader* _received;
    private readonly DatagramMessageHeader* _echoes;
    private int _receivedCount;
    private int _echoCount;
    private int _echoesSent;
    private bool _disposed;

    public DatagramBatch(int capacity, int slotSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        _capacity = capacity;
        _slotSize = slotSize;
        _buffers = (byte*)NativeMemory.Alloc((nuint)capacity, (nuint)slotSize);
        _addresses = (sockaddr_storage*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(sockaddr_storage));
        _receiveVectors = (DatagramIoVector*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(DatagramIoVector));
        _sendVectors = (DatagramIoVector*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(DatagramIoVector));
        _received = (DatagramMessageHeader*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(DatagramMessageHeader));
        _echoes = (DatagramMessageHeader*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(DatagramMessageHeader));
    }

    /// <summary>Echoes queued and not yet taken by the kernel.</summary>
    public int PendingEchoes => _echoCount - _echoesSent;

    /// <summary>
    /// Receives up to the batch's capacity without waiting: the count (0 when nothing is queued), or -1 with the errno.
    /// Any echoes still pending are forgotten, so call it only when <see cref="PendingEchoes"/> is 0.
    /// </summary>
    public int Receive(int fd, out int error)
    {
        for (int i = 0; i < _capacity; i++)
        {
            _receiveVectors[i].Base = _buffers + ((long)i * _slotSize);
            _receiveVectors[i].Length = (nuint)_slotSize;
            var header = &_received[i];
            header->Name = &_addresses[i];
            header->NameLength = (uint)sizeof(sockaddr_storage);
            header->Vectors = &_receiveVectors[i];
            header->VectorCount = 1;
            header->Flags = 0;
            header->Length = 0;
        }

        _echoCount = 0;
        _echoesSent = 0;
        int count;
        do
        {
            count = recvmmsg(fd, _received, (uint)_capacity, MSG_DONTWAIT, null);
            error = count == -1 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (count == -1 && Errno.IsInterrupted(error));

        if (count == -1 && Errno.IsWouldBlock(error))
        {
            count = 0;
            error = 0;
        }

        _receivedCount = Math.Max(count, 0);
        return count;
    }

    /// <summary>Bytes of received datagram <paramref name="index"/> that fit its slot.</summary>
    public int Length(int index) => (int)Received(index)->Length;

    /// <summary>True when datagram <paramref name="index"/> was longer than its slot and the kernel cut it.</summary>
    public bool Truncated(int index) => (Received(index)->Flags & MSG_TRUNC) != 0;

    /// <summary>Queues received datagram <paramref name="index"/> to go back, unchanged, to the address it came from.</summary>
    public void QueueEcho(int index)
    {
        var received = Received(index);
        _sendVectors[_echoCount].Base = received->Vectors->Base;
        _sendVectors[_echoCount].Length = received->Length;
        var echo = &_echoes[_echoCount];
        echo->Name = received->Name;
        echo->NameLength = received->NameLength;
        echo->Vectors = &_sendVectors[_echoCount];
        echo->VectorCount = 1;
        echo->Flags = 0;
        echo->Length = 0;
        _echoCount++;
    }

    /// <summary>
    /// Hands the pending echoes to the kernel without waiting. Returns true when none is left; false when the send
    /// buffer is full (EAGAIN: wait for writable and call again). An echo the kernel refuses for any other reason
    /// is skipped and counted in <paramref name="failed"/>, with the last such errno in <paramref name="error"/>.
    /// </summary>
    public bool Flush(int fd, out int sentBytes, out int sentCount, out int failed, out int error)
    {
        sentBytes = 0;
        sentCount = 0;
        failed = 0;
        error = 0;
        while (_echoesSent < _echoCount)
        {
            int count;
            int callError;
            do
            {
                count = sendmmsg(fd, _echoes + _echoesSent, (uint)(_echoCount - _echoesSent), MSG_DONTWAIT | MSG_NOSIGNAL);
                callError = count == -1 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (count == -1 && Errno.IsInterrupted(callError));

            if (count == -1)
            {
                if (Errno.IsWouldBlock(callError))
                {
                    return false;
                }

                // sendmmsg fails on its first message only; drop that one so the rest still go.
                error = callError;
                failed++;
                _echoesSent++;
                continue;
            }

            for (int i = 0; i < count; i++)
            {
                sentBytes += (int)_echoes[_echoesSent + i].Length;
            }

            sentCount += count;
            _echoesSent += count;
        }

        return true;
    }

    /// <summary>A non-blocking, close-on-exec UDP socket bound to <paramref name="endPoint"/>.</summary>
    public static FileDescriptor Bind(IPEndPoint endPoint, out IPEndPoint localEndPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        int family = endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;
        int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd == -1)
        {
            int error = errno;
            throw Errno.ToSocketException("socket", error);
        }

        var socketFd = new FileDescriptor(fd);
        try
        {
            sockaddr_storage address;
            socklen_t length = SocketAddresses.Write(endPoint, &address);
            if (bind(fd, (sockaddr*)&address, length) == -1)
            {
                int error = errno;
                throw Errno.ToSocketException("bind", error);
            }

            length = SizeOf.sockaddr_storage;
            if (getsockname(fd, (sockaddr*)&address, &length) == -1)
            {
                int error = errno;
                throw Errno.ToSocketException("getsockname", error);
            }

            localEndPoint = SocketAddresses.Read(&address) ?? endPoint;
            return socketFd;
        }
        catch
        {
            socketFd.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMemory.Free(_buffers);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_receiveVectors);
        NativeMemory.Free(_sendVectors);
        NativeMemory.Free(_received);
        NativeMemory.Free(_echoes);
    }

    private DatagramMessageHeader* Received(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_receivedCount, nameof(index));
        return &_received[index];
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int recvmmsg(int fd, DatagramMessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sendmmsg(int fd, DatagramMessageHeader* messages, uint count, int flags);
}
