using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace IoModels.Native;

/// <summary>
/// One io_uring instance: the submission and completion rings mapped into our memory, and the few operations the
/// echo server submits. Tmds.LibC provides the system calls (<c>io_uring_setup</c>, <c>io_uring_enter</c>,
/// <c>io_uring_register</c>), the structs and the constants up to kernel 5.7; newer ones are in
/// <see cref="IoUringConstants"/>. Not thread-safe: one thread submits and reaps.
/// </summary>
/// <remarks>
/// The rings are shared with the kernel, which runs concurrently on other CPUs. The ordering rules are those of
/// the io_uring_setup(2) man page and liburing: the producer writes an entry, then publishes the new tail with a
/// release store; the consumer reads the tail with an acquire load before reading entries, and hands slots back
/// by a release store of the head once it has read them. <see cref="Volatile.Read{T}(ref readonly T)"/> is an
/// acquire load and <see cref="Volatile.Write{T}(ref T, T)"/> a release store on every architecture .NET runs on,
/// i.e. liburing's <c>smp_load_acquire</c>/<c>smp_store_release</c>. Each use below says which rule it follows.
/// </remarks>
internal sealed unsafe class IoUring : IDisposable
{
    private readonly FileDescriptor _fd;
    private readonly void* _ringMemory;
    private readonly nuint _ringSize;
    private readonly void* _completionRingMemory;
    private readonly nuint _completionRingSize;
    private readonly io_uring_sqe* _submissions;
    private readonly nuint _submissionsSize;

    private readonly uint* _sqHead;
    private readonly uint* _sqTail;
    private readonly uint _sqMask;

    private readonly uint* _cqHead;
    private readonly uint* _cqTail;
    private readonly uint _cqMask;
    private readonly io_uring_cqe* _completions;

    // Our copy of the SQ tail: entries up to it are written; the kernel sees them once it is published.
    private uint _sqLocalTail;

    private IoUring(FileDescriptor fd, in io_uring_params parameters)
    {
        _fd = fd;
        SubmissionEntries = parameters.sq_entries;
        CompletionEntries = parameters.cq_entries;
        Features = parameters.features;

        // Sizes as io_uring_setup(2) gives them: each ring ends with its array of entries.
        nuint sqSize = parameters.sq_off.array + (parameters.sq_entries * sizeof(uint));
        nuint cqSize = parameters.cq_off.cqes + (parameters.cq_entries * (uint)sizeof(io_uring_cqe));
        bool singleMap = (parameters.features & IORING_FEAT_SINGLE_MMAP) != 0;
        try
        {
            // Since 5.4 both rings live in one mapping (IORING_FEAT_SINGLE_MMAP); before, each has its own.
            _ringSize = singleMap ? Math.Max(sqSize, cqSize) : sqSize;
            _ringMemory = Map(_ringSize, (long)IORING_OFF_SQ_RING, "mmap(IORING_OFF_SQ_RING)");
            if (singleMap)
            {
                _completionRingMemory = _ringMemory;
            }
            else
            {
                _completionRingSize = cqSize;
                _completionRingMemory = Map(cqSize, (long)IORING_OFF_CQ_RING, "mmap(IORING_OFF_CQ_RING)");
            }

            _submissionsSize = parameters.sq_entries * (nuint)sizeof(io_uring_sqe);
            _submissions = (io_uring_sqe*)Map(_submissionsSize, (long)IORING_OFF_SQES, "mmap(IORING_OFF_SQES)");
        }
        catch
        {
            Unmap();
            throw;
        }

        byte* sq = (byte*)_ringMemory;
        _sqHead = (uint*)(sq + parameters.sq_off.head);
        _sqTail = (uint*)(sq + parameters.sq_off.tail);
        _sqMask = *(uint*)(sq + parameters.sq_off.ring_mask);

        // The SQ array maps ring slots to entries. Slot i always names entry i, as in liburing, so it is filled once.
        uint* array = (uint*)(sq + parameters.sq_off.array);
        for (uint i = 0; i < parameters.sq_entries; i++)
        {
            array[i] = i;
        }

        byte* cq = (byte*)_completionRingMemory;
        _cqHead = (uint*)(cq + parameters.cq_off.head);
        _cqTail = (uint*)(cq + parameters.cq_off.tail);
        _cqMask = *(uint*)(cq + parameters.cq_off.ring_mask);
        _completions = (io_uring_cqe*)(cq + parameters.cq_off.cqes);

        // Only this thread writes the SQ tail: the kernel has consumed nothing yet, so our copy starts at its value.
        _sqLocalTail = *_sqTail;
    }

    public uint SubmissionEntries { get; }

    public uint CompletionEntries { get; }

    /// <summary>The <c>IORING_FEAT_*</c> bits the kernel reported.</summary>
    public uint Features { get; }

    /// <summary>True when the ring was made for one thread (SINGLE_ISSUER and DEFER_TASKRUN); that thread must call <see cref="EnableOnThisThread"/>.</summary>
    public bool SingleIssuer { get; private init; }

    /// <summary>
    /// Creates a ring. Fails with <see cref="ErrnoException"/>: ENOSYS (no io_uring in this kernel), EPERM (disabled by
    /// <c>kernel.io_uring_disabled</c> or blocked by seccomp), ENOMEM (locked-memory limit), EINVAL (bad sizes).
    /// </summary>
    public static IoUring Create(uint submissionEntries, uint completionEntries)
    {
        // A completion ring larger than the submission ring: every connection may have an operation in flight.
        // One thread submits and reaps, so ask for the single-issuer setup (6.1+): no locking, completion work run
        // only when the loop waits for it. It is made disabled, so the loop thread (not this one) becomes its issuer.
        const uint SingleIssuerFlags = IoUringConstants.SetupSingleIssuer | IoUringConstants.SetupDeferTaskRun | IoUringConstants.SetupRingsDisabled;
        io_uring_params parameters = default;
        parameters.flags = IORING_SETUP_CQSIZE | SingleIssuerFlags;
        parameters.cq_entries = completionEntries;
        int fd = io_uring_setup(submissionEntries, &parameters);
        int error = fd == -1 ? errno : 0;
        if (fd == -1 && error == EINVAL)
        {
            // An older kernel: the plain setup, with cooperative task running if it has that (5.19).
            parameters = default;
            parameters.flags = IORING_SETUP_CQSIZE | IoUringConstants.SetupCooperativeTaskRun;
            parameters.cq_entries = completionEntries;
            fd = io_uring_setup(submissionEntries, &parameters);
            error = fd == -1 ? errno : 0;
            if (fd == -1 && error == EINVAL)
            {
                parameters = default;
                parameters.flags = IORING_SETUP_CQSIZE;
                parameters.cq_entries = completionEntries;
                fd = io_uring_setup(submissionEntries, &parameters);
                error = fd == -1 ? errno : 0;
            }
        }

        if (fd == -1)
        {
            throw new ErrnoException("io_uring_setup", error);
        }

        var descriptor = new FileDescriptor(fd);
        try
        {
            return new IoUring(descriptor, parameters) { SingleIssuer = (parameters.flags & SingleIssuerFlags) == SingleIssuerFlags };
        }
        catch
        {
            descriptor.Dispose();
            throw;
        }
    }

    /// <summary>Makes the calling thread the ring's only issuer and enables it; a no-op for a ring not made for one thread.</summary>
    public void EnableOnThisThread()
    {
        if (SingleIssuer && io_uring_register(_fd.Number, IoUringConstants.RegisterEnableRings, null, 0) == -1)
        {
            int error = errno;
            throw new ErrnoException("io_uring_register(IORING_REGISTER_ENABLE_RINGS)", error);
        }
    }

    /// <summary>Asks the kernel which operations it supports (<c>IORING_REGISTER_PROBE</c>, 5.6).</summary>
    public IoUringProbe Probe()
    {
        const int MaxOps = 256;
        int size = sizeof(io_uring_probe) + (MaxOps * sizeof(io_uring_probe_op));
        byte* buffer = stackalloc byte[size];
        new Span<byte>(buffer, size).Clear();
        if (io_uring_register(_fd.Number, IORING_REGISTER_PROBE, buffer, MaxOps) == -1)
        {
            int error = errno;
            throw new ErrnoException("io_uring_register(IORING_REGISTER_PROBE)", error);
        }

        var probe = (io_uring_probe*)buffer;
        var ops = (io_uring_probe_op*)(probe + 1);
        bool[] supported = new bool[probe->ops_len];
        for (int i = 0; i < supported.Length; i++)
        {
            supported[i] = (ops[i].flags & IO_URING_OP_SUPPORTED) != 0;
        }

        return new IoUringProbe(probe->last_op, supported);
    }

    /// <summary>Accepts one connection (or, with <paramref name="multishot"/>, every connection until cancelled) as a close-on-exec socket.</summary>
    public void PrepareAccept(int listener, bool multishot, ulong userData)
    {
        var sqe = NextSubmission(IORING_OP_ACCEPT, listener, userData);
        sqe->accept_flags = (uint)SOCK_CLOEXEC;
        sqe->ioprio = multishot ? IoUringConstants.AcceptMultishot : (ushort)0;
    }

    /// <summary>Completes once <paramref name="fd"/> reports any of <paramref name="events"/> (<c>POLL*</c>); the result is the events.</summary>
    public void PreparePoll(int fd, int events, ulong userData)
    {
        var sqe = NextSubmission(IORING_OP_POLL_ADD, fd, userData);
        // poll_events is the low half of poll32_events (5.9); on little-endian machines the two coincide.
        sqe->poll_events = (ushort)events;
    }

    /// <summary>recv(2) into memory the caller keeps pinned until the completion arrives.</summary>
    public void PrepareReceive(int fd, byte* buffer, int length, ulong userData)
    {
        var sqe = NextSubmission(IORING_OP_RECV, fd, userData);
        sqe->addr = (ulong)buffer;
        sqe->len = (uint)length;
    }

    /// <summary>send(2) from memory the caller keeps pinned until the completion arrives.</summary>
    public void PrepareSend(int fd, byte* buffer, int length, ulong userData)
    {
        var sqe = NextSubmission(IORING_OP_SEND, fd, userData);
        sqe->addr = (ulong)buffer;
        sqe->len = (uint)length;
        // A peer that reset must give EPIPE, not SIGPIPE to the whole process.
        sqe->msg_flags = (uint)MSG_NOSIGNAL;
    }

    /// <summary>Cancels the operation submitted with <paramref name="target"/> as its user data; it then completes with -ECANCELED.</summary>
    public void PrepareCancel(ulong target, ulong userData)
    {
        var sqe = NextSubmission(IORING_OP_ASYNC_CANCEL, -1, userData);
        sqe->addr = target;
    }

    /// <summary>A timer: completes with -ETIME after <paramref name="timeout"/> (the kernel copies it at submission).</summary>
    public void PrepareTimeout(IoUringTimespec* timeout, ulong userData)
    {
        var sqe = NextSubmission(IORING_OP_TIMEOUT, -1, userData);
        sqe->addr = (ulong)timeout;
        sqe->len = 1;
    }

    /// <summary>
    /// Hands every prepared entry to the kernel and, with <paramref name="waitFor"/> above 0, waits until that many
    /// completions are ready. Returns early (harmlessly) on a signal or when the kernel asks us to reap first.
    /// </summary>
    public void Submit(uint waitFor)
    {
        // Release: the entries written above must be visible to the kernel before the tail that publishes them.
        Volatile.Write(ref *_sqTail, _sqLocalTail);
        // Acquire: the kernel's head says which entries it has consumed. Counting from it (rather than from what
        // the last call returned) also resubmits whatever an interrupted call left behind.
        uint toSubmit = _sqLocalTail - Volatile.Read(ref *_sqHead);
        if (toSubmit == 0 && waitFor == 0)
        {
            return;
        }

        uint flags = waitFor > 0 ? IORING_ENTER_GETEVENTS : 0;
        if (io_uring_enter(_fd.Number, toSubmit, waitFor, flags, null) == -1)
        {
            int error = errno;
            // EINTR: a signal. EAGAIN/EBUSY: the kernel wants completions reaped (or memory) before taking more.
            if (Errno.IsInterrupted(error) || Errno.IsWouldBlock(error) || error == EBUSY)
            {
                return;
            }

            throw new ErrnoException("io_uring_enter", error);
        }
    }

    /// <summary>Copies up to <paramref name="into"/>.Length ready completions out and hands their slots back to the kernel.</summary>
    public int TakeCompletions(Span<io_uring_cqe> into)
    {
        // Only we write the head, so a plain read of it is ours.
        uint head = *_cqHead;
        // Acquire: entries the kernel wrote before moving the tail are visible once we see the new tail.
        uint tail = Volatile.Read(ref *_cqTail);
        int count = 0;
        while (head != tail && count < into.Length)
        {
            into[count++] = _completions[head & _cqMask];
            head++;
        }

        if (count > 0)
        {
            // Release: our reads of those entries are done before the kernel may overwrite their slots.
            Volatile.Write(ref *_cqHead, head);
        }

        return count;
    }

    public void Dispose()
    {
        // Closing the descriptor cancels whatever is still in flight; the kernel holds its own reference to the
        // ring pages, so unmapping our view first is safe.
        Unmap();
        _fd.Dispose();
    }

    private void* Map(nuint size, long offset, string operation)
    {
        void* memory = mmap(null, (size_t)(ulong)size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, _fd.Number, offset);
        if (memory == MAP_FAILED)
        {
            int error = errno;
            throw new ErrnoException(operation, error);
        }

        return memory;
    }

    private void Unmap()
    {
        // munmap fails only for arguments that were never mapped: there is nothing to do about that while disposing.
        if (_submissions is not null)
        {
            _ = munmap(_submissions, (size_t)(ulong)_submissionsSize);
        }

        if (_completionRingMemory is not null && _completionRingMemory != _ringMemory)
        {
            _ = munmap(_completionRingMemory, (size_t)(ulong)_completionRingSize);
        }

        if (_ringMemory is not null)
        {
            _ = munmap(_ringMemory, (size_t)(ulong)_ringSize);
        }
    }

    /// <summary>A zeroed entry for <paramref name="opcode"/>; flushes the ring to the kernel first if it is full.</summary>
    private io_uring_sqe* NextSubmission(byte opcode, int fd, ulong userData)
    {
        // Acquire: the kernel has finished reading an entry before its head moves past it, so the slot is free.
        if (_sqLocalTail - Volatile.Read(ref *_sqHead) == SubmissionEntries)
        {
            Submit(0);
            if (_sqLocalTail - Volatile.Read(ref *_sqHead) == SubmissionEntries)
            {
                throw new InvalidOperationException("The io_uring submission ring stayed full after a submit.");
            }
        }

        var sqe = &_submissions[_sqLocalTail & _sqMask];
        *sqe = default;
        sqe->opcode = opcode;
        sqe->fd = fd;
        sqe->user_data = userData;
        _sqLocalTail++;
        return sqe;
    }
}
