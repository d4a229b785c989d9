using Actorpool.Actors.Pools;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// An injectable handle on one named pool of the host (keyed by the pool's name, and unkeyed for the first pool
/// of each state type). Usable before the host has started: jobs submitted early wait until the pool is running.
/// </summary>
/// <typeparam name="TState">The per-worker state the pool's jobs run on.</typeparam>
public interface IPool<TState>
{
    /// <summary>The pool's name, as registered with <c>AddPool</c>.</summary>
    string Name { get; }

    /// <summary><c>true</c> once the host has started the pool.</summary>
    bool IsStarted { get; }

    /// <summary>The running pool (its actor and the full facade).</summary>
    /// <exception cref="InvalidOperationException">The host has not started the pool (yet), or failed to.</exception>
    PoolRef<TState> Pool { get; }

    /// <summary>
    /// Runs <paramref name="job"/> on a worker's state once the pool is running; backpressure, outcomes and the timeout
    /// are those of <see cref="PoolRef{TState}.RunAsync{TResult}(Func{TState, TResult}, CancellationToken, TimeSpan?)"/>.
    /// Faults if the host failed to start the pool.
    /// </summary>
    Task<TResult> RunAsync<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null);

    /// <summary>Runs <paramref name="job"/> on a worker's state once the pool is running; see the other overloads.</summary>
    Task RunAsync(Action<TState> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null);

    /// <summary>
    /// Runs asynchronous <paramref name="job"/> once the pool is running; the worker stays the job's until its task
    /// completes, and the job's token reaches it while it runs: see
    /// <see cref="PoolRef{TState}.RunAsync{TResult}(Func{TState, CancellationToken, ValueTask{TResult}}, CancellationToken, TimeSpan?)"/>.
    /// </summary>
    Task<TResult> RunAsync<TResult>(Func<TState, CancellationToken, ValueTask<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null);

    /// <summary>Runs asynchronous <paramref name="job"/> once the pool is running; see the overload with a result.</summary>
    Task RunAsync(Func<TState, CancellationToken, ValueTask> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null);

    /// <summary>
    /// Runs asynchronous <paramref name="job"/> (an <c>async state =&gt; ...</c> lambda binds here) once the pool is
    /// running; the worker stays the job's until its task completes.
    /// </summary>
    Task<TResult> RunAsync<TResult>(Func<TState, Task<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null);

    /// <summary>Runs asynchronous <paramref name="job"/> once the pool is running; see the overload with a result.</summary>
    Task RunAsync(Func<TState, Task> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null);

    /// <summary>
    /// Runs <paramref name="job"/> once the pool is running, as
    /// <see cref="PoolRef{TState}.RunValueAsync{TResult}(Func{TState, TResult}, CancellationToken, TimeSpan?)"/> does: one
    /// allocation per job on a running pool (await the value task once).
    /// </summary>
    ValueTask<TResult> RunValueAsync<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null);

    /// <summary>Runs asynchronous <paramref name="job"/> once the pool is running; see the synchronous overload and <see cref="PoolRef{TState}.RunValueAsync{TResult}(Func{TState, CancellationToken, ValueTask{TResult}}, CancellationToken, TimeSpan?)"/>.</summary>
    ValueTask<TResult> RunValueAsync<TResult>(Func<TState, CancellationToken, ValueTask<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null);

    /// <summary>
    /// Submits <paramref name="job"/> only if the pool is running and its backlog has room, without waiting; otherwise
    /// returns <c>false</c> with <paramref name="result"/> faulted with a <see cref="Actorpool.Actors.Jobs.JobRejectedException"/>.
    /// </summary>
    bool TryRun<TResult>(Func<TState, TResult> job, out Task<TResult> result);

    /// <summary>The pool's counters once it is running (waits for the start).</summary>
    Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default);
}
