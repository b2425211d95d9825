using System.Diagnostics;
using System.Net;

namespace IoModels.Server.Models;

/// <summary>
/// The lifecycle of a model whose work all happens on one dedicated event-loop thread (select, epoll, io_uring):
/// start the thread; stop by raising a flag and waking the loop, which closes every descriptor on its own thread on
/// the way out, so nothing is closed under a system call that is still using it.
/// </summary>
/// <remarks>
/// An exception out of the loop is not logged here and not swallowed: the loop closes everything and
/// <see cref="Completion"/> faults with it, for the host to log once and exit on.
/// </remarks>
internal abstract class EventLoopServer(ServerContext context, string modelName) : IServerModel
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private Thread? _loop;

    public abstract IPEndPoint LocalEndPoint { get; }

    public Task Completion => _stopped.Task;

    protected string ModelName => modelName;

    /// <summary>True once stop was asked for: the loop finishes its pass and ends.</summary>
    protected bool Stopping => _stopping;

    public void Start()
    {
        _loop = new Thread(Run) { IsBackground = true, Name = modelName + " loop" };
        _loop.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        if (_loop is null)
        {
            return;
        }

        long began = Stopwatch.GetTimestamp();
        if (!_stopped.Task.IsCompleted)
        {
            // A loop that already ended (failed) has closed its wake-up descriptor with everything else.
            WakeLoop();
        }

        // A failed loop is Completion's news, not this method's: wait without rethrowing its exception.
        await _stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!_stopped.Task.IsCompleted)
        {
            ServerLog.StopTimedOut(context.Logger, 1, Stopwatch.GetElapsedTime(began).TotalSeconds);
        }

        context.LogStopped();
    }

    public void Dispose()
    {
        _stopping = true;
        if (_loop is not null && !_stopped.Task.IsCompleted)
        {
            // The loop owns the descriptors while it runs and closes them on its way out.
            WakeLoop();
            return;
        }

        if (_loop is null)
        {
            CloseAll();
        }
    }

    /// <summary>The loop itself, on the loop thread, until <see cref="Stopping"/>.</summary>
    protected abstract void RunLoop();

    /// <summary>From any thread: makes the loop's wait return so it sees <see cref="Stopping"/>.</summary>
    protected abstract void WakeLoop();

    /// <summary>Closes the listener, every connection and the loop's own descriptors; called exactly once.</summary>
    protected abstract void CloseAll();

    private void Run()
    {
        Exception? failure = null;
        try
        {
            RunLoop();
        }
        catch (Exception e)
        {
            failure = e;
        }

        try
        {
            CloseAll();
        }
        catch (Exception e)
        {
            failure ??= e;
        }

        if (failure is null)
        {
            _stopped.TrySetResult();
        }
        else
        {
            _stopped.TrySetException(failure);
        }
    }
}
