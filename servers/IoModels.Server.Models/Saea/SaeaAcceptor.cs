using System.Net.Sockets;

namespace IoModels.Server.Models.Saea;

/// <summary>
/// The accept loop: <c>AcceptAsync</c> on one reusable event-args object (this one), synchronous completions
/// processed in the loop, and a pause instead of a spin when the process runs out of file descriptors.
/// </summary>
/// <remarks>
/// Out of descriptors (EMFILE, or <see cref="AcceptThrottle.CanAccept"/> saying the <see cref="DescriptorBudget"/>
/// is reached) the pending connection stays in the backlog, so accepting again at once fails again at once. Nothing
/// may block a pool thread to wait, so the pause is a timer (<see cref="AcceptThrottle.RetryInterval"/>) that a
/// closing connection cuts short (<see cref="OnDescriptorFreed"/>; one that closes just before the pause begins is
/// caught by the timer). <see cref="_paused"/> is 1 exactly while no accept is in flight and no thread runs the
/// loop; whoever swaps it back to 0 owns the loop again.
/// </remarks>
internal sealed class SaeaAcceptor : SocketAsyncEventArgs, IThreadPoolWorkItem
{
    // A connection storm completes accept after accept synchronously; re-queue now and then so this loop cannot
    // hold one pool thread for the whole storm.
    private const int MaxSynchronousAccepts = 64;

    private readonly Socket _listener;
    private readonly AcceptThrottle _throttle;
    private readonly ServerContext _context;
    private readonly Action<Socket> _onAccepted;
    private readonly Action _onEnded;
    private readonly Action<Exception> _onFailed;
    private readonly Timer _resumeTimer;
    private volatile bool _stopping;
    private int _paused;

    /// <param name="onAccepted">Takes each accepted socket.</param>
    /// <param name="onEnded">Called once, when the loop has ended for good (after <see cref="Stop"/>, or after a failure).</param>
    /// <param name="onFailed">Called with the exception when the loop itself fails, before <paramref name="onEnded"/>.</param>
    public SaeaAcceptor(Socket listener, AcceptThrottle throttle, ServerContext context, Action<Socket> onAccepted, Action onEnded, Action<Exception> onFailed)
        : base(unsafeSuppressExecutionContextFlow: true)
    {
        _listener = listener;
        _throttle = throttle;
        _context = context;
        _onAccepted = onAccepted;
        _onEnded = onEnded;
        _onFailed = onFailed;
        _resumeTimer = new Timer(static state => ((SaeaAcceptor)state!).Resume(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public void Start() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    /// <summary>
    /// Makes the loop end. The caller then closes the listener, which completes a pending accept with an error;
    /// a paused loop has nothing in flight and ends here.
    /// </summary>
    public void Stop()
    {
        _stopping = true;
        if (Interlocked.Exchange(ref _paused, 0) == 1)
        {
            End();
        }
    }

    /// <summary>From any thread when a connection closes: a paused loop resumes now rather than at the timer.</summary>
    public void OnDescriptorFreed() => Resume();

    void IThreadPoolWorkItem.Execute() => Guarded(completed: false);

    protected override void OnCompleted(SocketAsyncEventArgs e) => Guarded(completed: true);

    /// <summary>
    /// Runs the loop (after processing a completed accept). An exception escaping a pool thread would take the process
    /// down with a stack trace and no orderly stop; here it ends accepting and is handed to the server, whose
    /// <see cref="IServerModel.Completion"/> faults with it, so the host stops every connection and exits non-zero.
    /// </summary>
    private void Guarded(bool completed)
    {
        try
        {
            if (!completed || HandleResult())
            {
                AcceptLoop();
            }
        }
        catch (Exception e)
        {
            _onFailed(e);
            End();
        }
    }

    private void AcceptLoop()
    {
        for (int i = 0; i < MaxSynchronousAccepts; i++)
        {
            if (_stopping)
            {
                End();
                return;
            }

            if (!_throttle.CanAccept())
            {
                Pause();
                return;
            }

            // The runtime creates the accepted socket only when AcceptSocket is null.
            AcceptSocket = null;
            bool pending;
            try
            {
                pending = _listener.AcceptAsync(this);
            }
            catch (ObjectDisposedException)
            {
                // The listener was closed by shutdown between two accepts.
                End();
                return;
            }

            if (pending || !HandleResult())
            {
                return;
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Takes one accept's result (an error is a value, not an exception). False: the loop does not go on.</summary>
    private bool HandleResult()
    {
        var error = SocketError;
        if (error == SocketError.Success)
        {
            var client = AcceptSocket!;
            AcceptSocket = null;
            _onAccepted(client);
            return true;
        }

        if (_stopping || error is SocketError.OperationAborted or SocketError.Interrupted)
        {
            End();
            return false;
        }

        if (AcceptThrottle.IsDescriptorExhaustion(error))
        {
            _throttle.OnExhausted(error);
            Pause();
            return false;
        }

        // A peer that reset before we accepted it (ECONNABORTED) and the like: that one is lost, not the listener.
        ServerLog.AcceptFailed(_context.Logger, error.ToString());
        return true;
    }

    private void Pause()
    {
        // Interlocked (a full fence) so that either Stop sees _paused = 1 or this sees _stopping = true.
        Interlocked.Exchange(ref _paused, 1);
        if (_stopping)
        {
            Stop();
            return;
        }

        _resumeTimer.Change(AcceptThrottle.RetryInterval, Timeout.InfiniteTimeSpan);
    }

    private void Resume()
    {
        if (Interlocked.Exchange(ref _paused, 0) == 1)
        {
            // Not inline: this runs on the thread of a closing connection or of the timer.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private void End()
    {
        _resumeTimer.Dispose();
        Dispose();
        _onEnded();
    }
}
