namespace Actorpool;

public sealed partial class WorkStealingPool
{
    /// <summary>
    /// Queues <paramref name="action"/> as background work (FIFO, after foreground work; with several workers a
    /// task may start a few dozen places early or late, see <see cref="UnsafeQueue"/>) and returns its handle.
    /// If the pool is disposed before it starts, the handle completes as cancelled. Retry-safe: it throws only
    /// before the work was accepted; once it returns a handle, the work runs at most once and the handle tells how it ended.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pool had been disposed before the call (nothing was queued).</exception>
    public TaskHandle Spawn(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var handle = new ActionTaskHandle(action);
        SpawnHandle(handle);
        return handle;
    }

    /// <summary>Queues <paramref name="function"/> as background work and returns a handle to its result.</summary>
    /// <exception cref="ObjectDisposedException">The pool had been disposed before the call (nothing was queued).</exception>
    public TaskHandle<T> Spawn<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var handle = new TaskHandle<T>(function);
        SpawnHandle(handle);
        return handle;
    }

    private void SpawnHandle(TaskHandle handle)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        EnqueueBackground(handle);

        // Dispose may have drained the queue between our check and our enqueue: cancel what is left so no
        // handle hangs (EnqueueBackground fenced, so this read is not stale). No throw here: the handle was accepted
        // and may already have run (or been cancelled); throwing would make a caller that retries run it twice.
        if (IsDisposed)
        {
            CancelQueuedBackground();
        }
    }
}
