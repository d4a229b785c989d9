using System.Diagnostics;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Testing;

/// <summary>
/// A pool under test: its <see cref="PoolRef{TState}"/>, the <see cref="FaultPlan"/> it consults, and the tasks of
/// every job submitted through this handle, so that a spec can wait for quiescence and check that each job got its
/// outcome. Its <c>RunAsync</c> overloads are the pool's own, with the plan's job faults applied before the job's code.
/// </summary>
/// <typeparam name="TState">The per-worker state jobs run on.</typeparam>
public sealed class TestPool<TState>
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Task> _jobs = []; // guarded by _lock: any thread may submit

    internal TestPool(PoolRef<TState> pool, FaultPlan faults, TimeProvider time)
    {
        Pool = pool;
        Faults = faults;
        _time = time;
    }

    /// <summary>The pool itself, for what this handle does not wrap (jobs run on it directly see no job faults, <c>Init</c> faults still apply).</summary>
    public PoolRef<TState> Pool { get; }

    /// <summary>The pool actor, for messages (<c>Submit</c>, broadcasts) and death watch.</summary>
    public IActorRef Ref => Pool.Ref;

    /// <summary>The pool's name.</summary>
    public string Name => Pool.Name;

    /// <summary>The faults this pool consults; plan more at any time.</summary>
    public FaultPlan Faults { get; }

    /// <summary>The tasks of the jobs submitted through this handle, in submission order (a snapshot).</summary>
    public IReadOnlyList<Task> Jobs
    {
        get
        {
            lock (_lock)
            {
                return [.. _jobs];
            }
        }
    }

    /// <summary>Runs a synchronous job as <see cref="PoolRef{TState}.RunAsync{TResult}(Func{TState, TResult}, CancellationToken, TimeSpan?)"/> does, after the plan's job fault if one is due.</summary>
    public Task<TResult> RunAsync<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Track(Pool.RunAsync(
            state =>
            {
                Faults.BeforeJob(_time);
                return job(state);
            },
            cancellationToken,
            timeout));
    }

    /// <summary>Runs a synchronous job as <see cref="PoolRef{TState}.RunAsync(Action{TState}, CancellationToken, TimeSpan?)"/> does, after the plan's job fault if one is due.</summary>
    public Task RunAsync(Action<TState> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Track(Pool.RunAsync(
            state =>
            {
                Faults.BeforeJob(_time);
                job(state);
            },
            cancellationToken,
            timeout));
    }

    /// <summary>Runs an asynchronous job as <see cref="PoolRef{TState}.RunAsync{TResult}(Func{TState, CancellationToken, ValueTask{TResult}}, CancellationToken, TimeSpan?)"/> does, after the plan's job fault if one is due.</summary>
    public Task<TResult> RunAsync<TResult>(Func<TState, CancellationToken, ValueTask<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Track(Pool.RunAsync(
            async (state, token) =>
            {
                await Faults.BeforeJobAsync(_time, token).ConfigureAwait(false);
                return await job(state, token).ConfigureAwait(false);
            },
            cancellationToken,
            timeout));
    }

    /// <summary>Runs an asynchronous job as <see cref="PoolRef{TState}.RunAsync(Func{TState, CancellationToken, ValueTask}, CancellationToken, TimeSpan?)"/> does, after the plan's job fault if one is due.</summary>
    public Task RunAsync(Func<TState, CancellationToken, ValueTask> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Track(Pool.RunAsync(
            async (state, token) =>
            {
                await Faults.BeforeJobAsync(_time, token).ConfigureAwait(false);
                await job(state, token).ConfigureAwait(false);
            },
            cancellationToken,
            timeout));
    }

    /// <summary>Runs an asynchronous job as <see cref="PoolRef{TState}.RunAsync{TResult}(Func{TState, Task{TResult}}, CancellationToken, TimeSpan?)"/> does, after the plan's job fault if one is due.</summary>
    public Task<TResult> RunAsync<TResult>(Func<TState, Task<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Track(Pool.RunAsync(
            async state =>
            {
                await Faults.BeforeJobAsync(_time, CancellationToken.None).ConfigureAwait(false);
                return await job(state).ConfigureAwait(false);
            },
            cancellationToken,
            timeout));
    }

    /// <summary>Runs an asynchronous job as <see cref="PoolRef{TState}.RunAsync(Func{TState, Task}, CancellationToken, TimeSpan?)"/> does, after the plan's job fault if one is due.</summary>
    public Task RunAsync(Func<TState, Task> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Track(Pool.RunAsync(
            async state =>
            {
                await Faults.BeforeJobAsync(_time, CancellationToken.None).ConfigureAwait(false);
                await job(state).ConfigureAwait(false);
            },
            cancellationToken,
            timeout));
    }

    /// <summary>Asks the pool for a snapshot of its counters (its final counters once it terminated).</summary>
    public Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default) => Pool.GetStatsAsync(cancellationToken);

    /// <summary>
    /// Waits until the pool is quiescent: nothing queued, nothing running, every submitted job with its outcome (by the
    /// pool's counters), and every job submitted through this handle completed. Returns the stats that showed it.
    /// <paramref name="timeout"/> is real time (a fake pool clock does not move it).
    /// </summary>
    /// <exception cref="PoolAssertionException">The pool was still busy after <paramref name="timeout"/>; the message shows its last stats.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public async Task<PoolStats> WaitForQuiescenceAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"The timeout must be positive, was {timeout}.");
        }

        // A watchdog on the real clock, by polling the pool's stats: quiescence is the absence of events, so there is
        // nothing to wait on. The pool's own clock may be fake and stand still.
        var start = Stopwatch.GetTimestamp();
        PoolStats? stats = null;
        while (true)
        {
            var left = timeout - Stopwatch.GetElapsedTime(start);
            var jobs = Jobs;
            var pending = PoolAssert.Pending(jobs);
            try
            {
                if (left > TimeSpan.Zero)
                {
                    stats = await Pool.GetStatsAsync(cancellationToken).WaitAsync(left, cancellationToken).ConfigureAwait(false);
                    if (pending.Count == 0 && PoolAssert.IsQuiescent(stats, Pool.Completion.IsCompleted))
                    {
                        return stats;
                    }
                }
            }
            catch (TimeoutException)
            {
                // The pool did not answer in time: reported below with the last stats it gave.
            }

            if (Stopwatch.GetElapsedTime(start) >= timeout)
            {
                throw new PoolAssertionException(
                    $"Pool '{Name}' was not quiescent after {timeout}: {pending.Count} of {jobs.Count} job(s) submitted through the test pool have no outcome. "
                    + (stats is null ? "It never answered a stats request." : PoolAssert.Describe(stats)));
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asserts now (it does not wait: see <see cref="WaitForQuiescenceAsync"/>) that the pool's counters balance and that
    /// every job submitted through this handle has its outcome. Returns the stats it checked.
    /// </summary>
    /// <exception cref="PoolAssertionException">A job has no outcome or the counters do not add up; the message shows the numbers.</exception>
    public async Task<PoolStats> AssertBalancedAsync(CancellationToken cancellationToken = default)
    {
        var stats = await Pool.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        PoolAssert.EveryJobHasOutcome(Jobs, Name);
        PoolAssert.CountersBalance(stats, Name);
        return stats;
    }

    private T Track<T>(T job)
        where T : Task
    {
        lock (_lock)
        {
            _jobs.Add(job);
        }

        return job;
    }
}
