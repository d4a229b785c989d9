using Akka.Configuration;
using Akka.Dispatch;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// Produces the executor of a work-stealing dispatcher from its <c>work-stealing</c> HOCON block (<c>threads</c>,
/// <c>spin-time</c>, <c>max-spin-time</c>, <c>thread-name-prefix</c>); usable directly as an <c>executor</c> type of any Akka dispatcher.
/// </summary>
public sealed class WorkStealingExecutorConfigurator : ExecutorServiceConfigurator
{
    private readonly int _threads;
    private readonly TimeSpan _spinTime;
    private readonly TimeSpan? _maxSpinTime;
    private readonly string _threadNamePrefix;

    /// <summary>Reads the <c>work-stealing</c> block of <paramref name="config"/>; <c>threads = 0</c> (default) = the shared <see cref="WorkStealingPool.Default"/>.</summary>
    /// <exception cref="ConfigurationException">A negative thread count or spin time.</exception>
    public WorkStealingExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
        ArgumentNullException.ThrowIfNull(config);
        var block = config.GetConfig("work-stealing") ?? Config.Empty;
        _threads = block.GetInt("threads", 0);
        _spinTime = block.GetTimeSpan("spin-time", WorkStealingPoolOptions.DefaultSpinTime);
        _maxSpinTime = block.HasPath("max-spin-time") ? block.GetTimeSpan("max-spin-time") : null;
        _threadNamePrefix = block.GetString("thread-name-prefix", "actorpool-dispatcher");
        if (_threads < 0 || _spinTime < TimeSpan.Zero)
        {
            throw new ConfigurationException($"work-stealing.threads must be at least 0 and spin-time not negative, was {_threads} and {_spinTime}.");
        }
    }

    /// <summary>An executor that queues mailbox runs on the configured pool.</summary>
    public override ExecutorService Produce(string id) => _threads == 0
        ? new WorkStealingExecutor(id, WorkStealingPool.Default, owned: false)
        : new WorkStealingExecutor(id, new WorkStealingPool(new WorkStealingPoolOptions { Threads = _threads, SpinTime = _spinTime, MaxSpinTime = _maxSpinTime, ThreadNamePrefix = _threadNamePrefix }), owned: true);
}

/// <summary>Runs Akka mailboxes as background (FIFO) work items of a <see cref="WorkStealingPool"/>.</summary>
internal sealed class WorkStealingExecutor(string id, WorkStealingPool pool, bool owned) : ExecutorService(id)
{
    public WorkStealingPool Pool { get; } = pool;

    private readonly StarvationGuard _guard = new();

    public override void Execute(IRunnable run)
    {
        // A pool supervisor must keep running while its workers occupy every pool thread (stop deadlines, stats,
        // scaling): its run is watched and moved to the ThreadPool if it waits too long.
        if (run is Mailbox { MessageQueue: PoolMessageQueue queue } mailbox)
        {
            var guarded = queue.Guard ??= new GuardedRun(mailbox);
            guarded.Arm();
            Pool.UnsafeQueue(guarded);
            _guard.Watch(guarded);
            return;
        }

        // An async job's continuation (DispatcherResumeContext): watched too, so a job blocking on a task whose own
        // continuation is queued behind it cannot wait forever when every pool thread is taken. One its worker holds
        // (posted during the job's first step, run when the step returns) is only watched.
        if (run is ClaimableRun resumption)
        {
            resumption.Arm();
            if (!resumption.HeldByCaller)
            {
                Pool.UnsafeQueue(resumption);
            }

            _guard.Watch(resumption);
            return;
        }

        Pool.UnsafeQueue(run);
    }

    public override void Shutdown()
    {
        _guard.Dispose();
        if (owned)
        {
            Pool.Dispose();
        }
    }
}
