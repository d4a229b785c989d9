using Actorpool.Actors.Lifecycle;
using Actorpool.Actors.Messaging;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// An up/down pool of actor workers as an <see cref="IManagedPool"/>: up messages are its jobs on the Actorpool meter,
/// and a drain is one stop of the workers whose report (every up message nobody received) goes to the host's handle.
/// The stop itself is never cancelled, since that would lose the messages it has collected: a drain's deadline only
/// stops the waiting, and the stop's report arrives when the workers have ended.
/// </summary>
internal sealed class ManagedUpDownPool<TDown, TUp> : IManagedPool
{
    private readonly PoolCounters _counters;
    private readonly TaskCompletionSource<UpDownStopReport<TUp>> _stopped;
    private readonly Lazy<Task> _stop; // the one stop: started by the first drain, joined by later ones

    private ManagedUpDownPool(ActorUpDownPool<TDown, TUp> pool, PoolCounters counters, TaskCompletionSource<UpDownStopReport<TUp>> stopped)
    {
        Pool = pool;
        _counters = counters;
        _stopped = stopped;
        _stop = new Lazy<Task>(StopOnceAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name => Pool.Name;

    public string Kind => PoolKinds.UpDown;

    public ActorUpDownPool<TDown, TUp> Pool { get; }

    /// <summary>Completes when the host's stop of the pool has ended (faults if that stop failed).</summary>
    public Task Completion => _stopped.Task;

    public static ManagedUpDownPool<TDown, TUp> Create(ActorSystem system, UpDownOptions options, TaskCompletionSource<UpDownStopReport<TUp>> stopped)
    {
        var pool = system.SpawnUpDownPool<TDown, TUp>(options);
        var counters = new PoolCounters(pool.Name, PoolKinds.UpDown) { Sample = c => Sample(c, pool) };

        // Before any worker exists, so every up message is counted.
        pool.Queue.Counters = counters;
        PoolMetrics.Register(counters);
        return new ManagedUpDownPool<TDown, TUp>(pool, counters, stopped);
    }

    public async Task<PoolStopReport> DrainAsync(TimeSpan? deadline = null, CancellationToken cancellationToken = default)
    {
        var stop = _stop.Value;
        var reached = false;
        try
        {
            await (deadline is { } limit ? stop.WaitAsync(limit, cancellationToken) : stop.WaitAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            reached = true;
        }

        Sample(_counters, Pool);
        return _counters.Report(deadlineReached: reached, runningWhenCutOff: reached ? Pool.Workers : 0);
    }

    public Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Sample(_counters, Pool);
        return Task.FromResult(_counters.Snapshot());
    }

    private async Task StopOnceAsync()
    {
        try
        {
            var report = await Pool.StopAndJoinAsync().ConfigureAwait(false);
            try
            {
                await Pool.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                // The report is whole once the workers have ended; releasing the pool's actor cannot take it back.
                _stopped.TrySetResult(report);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _stopped.TrySetException(e);
            throw;
        }
        finally
        {
            PoolMetrics.Unregister(_counters);
        }
    }

    private static void Sample(PoolCounters counters, ActorUpDownPool<TDown, TUp> pool)
    {
        counters.Backlog = pool.UpCount;
        counters.Workers = pool.Workers;
    }
}
