using Actorpool.Actors.Lifecycle;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Actorpool.Dynamic;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// A dynamic pool run as an <see cref="IManagedPool"/>: every <c>Work</c> call is a job on the Actorpool meter, the
/// gauges are read from the run, and a drain asks the run to shut down and waits for its workers. A <c>Work</c> call
/// is never cut off (the pool cannot interrupt it), so a drain's deadline only stops the waiting.
/// </summary>
internal sealed class ManagedDynamicPool<TData> : IManagedPool
{
    private readonly PoolCounters _counters;

    private ManagedDynamicPool(string name, PoolCounters counters, DynamicPoolHandle<TData> handle)
    {
        Name = name;
        _counters = counters;
        Handle = handle;
    }

    public string Name { get; }

    public string Kind => PoolKinds.Dynamic;

    public DynamicPoolHandle<TData> Handle { get; }

    public Task Completion => Handle.Completion;

    public static ManagedDynamicPool<TData> Start(string name, IDynamicSystem<TData> system, DynamicPoolOptions options)
    {
        // The sampler reads the handle, which exists only once the run has started: it is published through this box.
        DynamicPoolHandle<TData>? started = null;
        var counters = new PoolCounters(name, PoolKinds.Dynamic) { Sample = c => Sample(c, Volatile.Read(ref started)) };
        var handle = DynamicPool.StartBackground(new MeteredSystem(system, counters), options);
        Volatile.Write(ref started, handle);
        PoolMetrics.Register(counters);
        _ = handle.Completion.ContinueWith(
            static (_, c) => PoolMetrics.Unregister((PoolCounters)c!), counters, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return new ManagedDynamicPool<TData>(name, counters, handle);
    }

    public async Task<PoolStopReport> DrainAsync(TimeSpan? deadline = null, CancellationToken cancellationToken = default)
    {
        Handle.RequestShutdown();
        var reached = false;
        try
        {
            var run = Handle.Completion;
            await (deadline is { } limit ? run.WaitAsync(limit, cancellationToken) : run.WaitAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            reached = true;
        }

        // A run that panicked has already ended; its failure is its Completion's, and the report says what ran.
        Sample(_counters, Handle);
        return _counters.Report(deadlineReached: reached, runningWhenCutOff: reached ? Handle.ActiveCount : 0);
    }

    public Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Sample(_counters, Handle);
        return Task.FromResult(_counters.Snapshot());
    }

    private static void Sample(PoolCounters counters, DynamicPoolHandle<TData>? handle)
    {
        if (handle is null)
        {
            return;
        }

        var alive = handle.AliveCount;
        var active = Math.Min(handle.ActiveCount, alive);
        counters.Workers = alive;
        counters.Busy = active;
        counters.Idle = alive - active;
        counters.Killed = handle.Completion.IsFaulted;
    }

    /// <summary>The user's system, with each <c>Work</c> call counted as one job.</summary>
    private sealed class MeteredSystem(IDynamicSystem<TData> inner, PoolCounters counters) : IDynamicSystem<TData>
    {
        public Scale GetScale() => inner.GetScale();

        public TData Init(int index) => inner.Init(index);

        public Decision Work(ref TData data)
        {
            counters.AddSubmitted();
            Decision decision;
            try
            {
                decision = inner.Work(ref data);
            }
            catch
            {
                counters.AddFailed();
                throw;
            }

            counters.AddCompleted();
            return decision;
        }

        public void Close(TData data) => inner.Close(data);
    }
}
