using Actorpool.Actors.Metrics;
using Actorpool.Dynamic;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// A dynamic pool run as an <see cref="Actorpool.Actors.Pools.IManagedPool"/>: every <c>Work</c> call is a job on
/// the host's Actorpool meter, the gauges are read from the run, and a drain asks the run to shut down and waits for its
/// workers. A drain of a run that panicked throws its <see cref="PoolPanicException"/>, which the host logs.
/// </summary>
internal sealed class ManagedDynamicPool<TData> : CountedPool
{
    private ManagedDynamicPool(PoolCounters counters, DynamicPoolHandle<TData> handle)
        : base(counters)
    {
        Handle = handle;
        Publish();
        _ = handle.Completion.ContinueWith(
            static (_, pool) => ((ManagedDynamicPool<TData>)pool!).Unregister(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public override string Kind => PoolKinds.Dynamic;

    public DynamicPoolHandle<TData> Handle { get; }

    public override Task Completion => Handle.Completion;

    protected override int Running => Handle.ActiveCount;

    public static ManagedDynamicPool<TData> Start(string name, IDynamicSystem<TData> system, DynamicPoolOptions options, PoolInstruments instruments)
    {
        var counters = new PoolCounters(name, PoolKinds.Dynamic, instruments);
        return new ManagedDynamicPool<TData>(counters, DynamicPool.StartBackground(new MeteredSystem(system, counters), options));
    }

    protected override Task BeginStop()
    {
        Handle.RequestShutdown();
        return Handle.Completion;
    }

    protected override void Sample()
    {
        var alive = Handle.AliveCount;
        var active = Math.Min(Handle.ActiveCount, alive);
        Counters.Workers = alive;
        Counters.Busy = active;
        Counters.Idle = alive - active;
        Counters.Killed = Handle.Completion.IsFaulted;
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
