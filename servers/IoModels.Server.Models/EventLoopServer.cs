using System.Diagnostics;
using System.Net;

namespace IoModels.Server.Models;

/// <summary>
/// The lifecycle of a model whose work all happens on one dedicated event-loop thread (epoll, io_uring): start the
/// thread; stop by raising a flag and waking the loop, which closes every descriptor on its own thread on the way
/// out, so nothing is closed under a system call that is still using it.
/// </summary>
internal abstract class EventLoopServer(ServerContext context, string modelName) : IServerModel
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private Thread? _loop;

    public abstract IPEndPoint LocalEndPoint { get; }

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
        _stopping = true;
        if (_loop is null)
        {
            return;
        }

        long began = Stopwatch.GetTimestamp();
        WakeLoop();
        try
        {
            await _stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ServerLog.StopTimedOut(context.Logger, 1, Stopwatch.GetElapsedTime(began).TotalSeconds);
        }

        ServerLog.Stopped(context.Logger, context.Metrics.Summary());
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

        CloseAll();
    }

    /// <summary>The loop itself, on the loop thread, until <see cref="Stopping"/>.</summary>
    protected abstract void RunLoop();

    /// <summary>From any thread: makes the loop's wait return so it sees <see cref="Stopping"/>.</summary>
    protected abstract void WakeLoop();

    /// <summary>Closes the listener, every connection and the loop's own descriptors.</summary>
    protected abstract void CloseAll();

    private void Run()
    {
        try
        {
            RunLoop();
        }
        catch (Exception e)
        {
            ServerLog.LoopFailed(context.Logger, e, modelName);
        }
        finally
        {
            CloseAll();
            _stopped.TrySetResult();
        }
    }
}
