using System.Runtime.CompilerServices;

namespace Actorpool.Dynamic;

/// <summary>
/// A running background dynamic pool: its worker counts, a way to wait for it (blocking or awaitable), to ask it
/// to shut down and to swap its system. The run ends only when the scale says Shutdown, on
/// <see cref="RequestShutdown"/>, or when a worker panics.
/// </summary>
/// <typeparam name="TData">The per-worker data of the system being run.</typeparam>
public sealed class DynamicPoolHandle<TData>
{
    private readonly DynamicRun<TData> _run;

    internal DynamicPoolHandle(DynamicRun<TData> run) => _run = run;

    /// <summary>Workers currently in scale (calling <c>Work</c>); a snapshot.</summary>
    public int ActiveCount => _run.ActiveCount;

    /// <summary>Worker threads currently alive, active and idle; a snapshot, 0 once the run has ended.</summary>
    public int AliveCount => _run.AliveCount;

    /// <summary>
    /// Completes when every worker has ended and closed its data; faults with a <see cref="PoolPanicException"/>
    /// carrying every exception when a worker threw.
    /// </summary>
    public Task Completion => _run.Completion;

    /// <summary><c>true</c> once every worker has ended.</summary>
    public bool IsCompleted => _run.Completion.IsCompleted;

    /// <summary>Lets <c>await handle</c> wait for <see cref="Completion"/>.</summary>
    public TaskAwaiter GetAwaiter() => _run.Completion.GetAwaiter();

    /// <summary>Blocks until every worker has ended.</summary>
    /// <exception cref="PoolPanicException">A worker threw; carries every exception thrown during the run.</exception>
    /// <exception cref="InvalidOperationException">Called from one of this pool's own workers (it would never return).</exception>
    public void Join()
    {
        ThrowIfOwnWorker();
        _run.Completion.GetAwaiter().GetResult();
    }

    /// <summary>Blocks until every worker has ended or <paramref name="timeout"/> passes; <c>false</c> on timeout.</summary>
    /// <exception cref="PoolPanicException">The run ended and a worker threw.</exception>
    /// <exception cref="InvalidOperationException">Called from one of this pool's own workers.</exception>
    public bool Join(TimeSpan timeout)
    {
        ThrowIfOwnWorker();
        // Waiting on the handle (not Task.Wait) so that a faulted run rethrows the PoolPanicException itself.
        if (!((IAsyncResult)_run.Completion).AsyncWaitHandle.WaitOne(timeout))
        {
            return false;
        }

        _run.Completion.GetAwaiter().GetResult();
        return true;
    }

    /// <summary>
    /// Asks the run to end as if the scale had said <see cref="Scale.Shutdown"/>: each worker ends at its next
    /// scale check (a worker returning <see cref="Decision.Incomplete"/> finishes first). Returns at once.
    /// </summary>
    public void RequestShutdown() => _run.RequestShutdown();

    /// <summary>
    /// Replaces the system gracefully: at its next scale check each worker closes its data with the old system
    /// and (when in scale) builds new data with <paramref name="system"/>, whose scale rules from then on.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="system"/> is null.</exception>
    public void SwapSystem(IDynamicSystem<TData> system)
    {
        ArgumentNullException.ThrowIfNull(system);
        _run.SwapSystem(system);
    }

    private void ThrowIfOwnWorker()
    {
        if (ReferenceEquals(DynamicWorkerThread.Run, _run))
        {
            throw new InvalidOperationException(
                "Join was called from one of the pool's own workers; it would wait for itself forever.");
        }
    }
}
