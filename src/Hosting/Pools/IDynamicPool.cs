using Actorpool.Actors.Pools;
using Actorpool.Dynamic;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// An injectable handle on a dynamic pool of the host (keyed by the pool's name, and unkeyed for the first dynamic
/// pool of each data type), registered with <c>AddDynamicPool</c>. The host starts the run and, when it stops, asks
/// it to shut down and waits for its workers.
/// </summary>
/// <typeparam name="TData">The per-worker data of the pool's system.</typeparam>
public interface IDynamicPool<TData>
{
    /// <summary>The pool's name, as registered.</summary>
    string Name { get; }

    /// <summary><c>true</c> once the host has started the pool.</summary>
    bool IsStarted { get; }

    /// <summary>The running pool: its worker counts, completion and system swap.</summary>
    /// <exception cref="InvalidOperationException">The host has not started the pool (yet), or failed to.</exception>
    DynamicPoolHandle<TData> Handle { get; }

    /// <summary>
    /// The pool's counters once it is running (waits for the start): each call of the system's <c>Work</c> is a job,
    /// submitted when the call begins and completed or failed when it returns or throws; <c>Killed</c> once a worker
    /// threw (a panic ends the run). Busy counts workers in scale, Idle the live workers out of it.
    /// </summary>
    Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default);
}
