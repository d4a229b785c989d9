namespace Actorpool.Actors.Pools;

/// <summary>
/// A running pool of any kind as a host manages it: its name and kind, when it has ended, a drain bounded by a
/// deadline, and its counters. Actor pools (<see cref="PoolRef{TState}"/>) implement it; hosts adapt dynamic and
/// up/down pools to it, and a pool kind defined in another assembly implements it to be hosted the same way.
/// </summary>
public interface IManagedPool
{
    /// <summary>The pool's name, unique within its host.</summary>
    string Name { get; }

    /// <summary>What kind of pool this is (see <see cref="Metrics.PoolKinds"/>); the <c>pool.kind</c> tag of its measurements.</summary>
    string Kind { get; }

    /// <summary>Completes once the pool has ended and no work of it can still run; faults if the pool ended by a failure it could not absorb.</summary>
    Task Completion { get; }

    /// <summary>
    /// Stops taking new work and lets the work already accepted finish, cutting off what is left when
    /// <paramref name="deadline"/> passes (<c>null</c>: no deadline; <see cref="TimeSpan.Zero"/>: stop now). Every
    /// accepted job gets exactly one outcome either way. Calling it again joins the drain in progress.
    /// </summary>
    Task<PoolStopReport> DrainAsync(TimeSpan? deadline = null, CancellationToken cancellationToken = default);

    /// <summary>A snapshot of the pool's counters; the units a kind counts as jobs are those of its documentation.</summary>
    Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default);
}
