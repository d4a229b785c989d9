using Actorpool.Actors.Messaging;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// An up/down pool of actor workers as an <see cref="IManagedPool"/>: up messages are its jobs on the host's Actorpool meter,
/// and a drain is one stop of the workers whose report (every up message nobody received) goes to the host's handle.
/// The stop itself is never cancelled, since that would lose the messages it has collected: the report arrives when
/// the workers have ended.
/// </summary>
internal sealed class ManagedUpDownPool<TDown, TUp> : CountedPool
{
    private readonly TaskCompletionSource<UpDownStopReport<TUp>> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lazy<Task> _stop; // the one stop: started by the first drain, joined by later ones

    private ManagedUpDownPool(ActorUpDownPool<TDown, TUp> pool, PoolCounters counters)
        : base(counters)
    {
        Pool = pool;
        _stop = new Lazy<Task>(StopOnceAsync, LazyThreadSafetyMode.ExecutionAndPublication);
        Publish();
    }

    public override string Kind => PoolKinds.UpDown;

    public ActorUpDownPool<TDown, TUp> Pool { get; }

    /// <summary>Completes when the host's stop of the pool has ended (faults if that stop failed).</summary>
    public override Task Completion => _stopped.Task;

    /// <summary>The stop's report: the up messages nobody received and the worker failures.</summary>
    public Task<UpDownStopReport<TUp>> Stopped => _stopped.Task;

    protected override int Running => Pool.Workers;

    public static ManagedUpDownPool<TDown, TUp> Create(ActorSystem system, UpDownOptions options, PoolInstruments instruments)
    {
        var pool = system.SpawnUpDownPool<TDown, TUp>(options);
        var counters = new PoolCounters(pool.Name, PoolKinds.UpDown, instruments);

        // Before any worker exists, so every up message is counted.
        pool.Queue.Counters = counters;
        return new ManagedUpDownPool<TDown, TUp>(pool, counters);
    }

    protected override Task BeginStop() => _stop.Value;

    protected override void Sample()
    {
        Counters.Backlog = Pool.UpCount;
        Counters.Workers = Pool.Workers;
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
            Unregister();
        }
    }
}
