namespace Actorpool;

/// <summary>
/// <see cref="WorkStealingPool.Spawn(Action)"/>, <see cref="WorkStealingPool.Spawn{T}(Func{T})"/> and
/// <see cref="WorkStealingPool.Spawn{TJob}(TJob)"/>: a handle
/// goes to the pool's background queue, retry-safe against a concurrent Dispose.
/// </summary>
internal static class Spawns
{
    /// <summary>Queues <paramref name="handle"/>; throws only if the pool was disposed before anything was queued.</summary>
    internal static void Submit(WorkStealingPool pool, TaskHandle handle)
    {
        ObjectDisposedException.ThrowIf(pool.IsDisposed, pool);
        BackgroundQueue.Enqueue(pool, handle);

        // Dispose may have drained the queue between our check and our enqueue: cancel what is left so no
        // handle hangs (BackgroundQueue.Enqueue fenced, so this read is not stale). No throw here: the handle was accepted
        // and may already have run (or been cancelled); throwing would make a caller that retries run it twice.
        if (pool.IsDisposed)
        {
            BackgroundQueue.CancelQueued(pool);
        }
    }
}
