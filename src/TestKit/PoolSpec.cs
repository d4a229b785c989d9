using System.Collections.Concurrent;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Workers;
using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Actorpool.Testing;

/// <summary>
/// A base for Akka.TestKit (xUnit) specs of pools: a real <see cref="ActorSystem"/> (<c>Sys</c>), a
/// <see cref="FakeTimeProvider"/> the spec's pools run on, a recorder of job messages that ended up as dead letters
/// (a lost job), and the assertions that every job got exactly one outcome.
/// </summary>
public abstract class PoolSpec : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>The actor system configuration when the spec gives none: Akka logs warnings and errors only.</summary>
    public const string LogWarningsConfig = "akka.loglevel = WARNING";

    private readonly ConcurrentQueue<object> _deadJobs = new();

    /// <summary>Starts the spec's actor system with <paramref name="config"/> (HOCON; <c>null</c> = <see cref="LogWarningsConfig"/>) and Akka's log in <paramref name="output"/>.</summary>
    protected PoolSpec(string? config = null, ITestOutputHelper? output = null)
        : base(config ?? LogWarningsConfig, output)
    {
        var recorder = Sys.ActorOf(Props.Create(() => new DeadJobRecorder(_deadJobs)));
        Sys.EventStream.Subscribe(recorder, typeof(DeadLetter));
    }

    /// <summary>The fake clock of the pools <see cref="SpawnTestPool{TState}"/> spawns: advance it to run their timers.</summary>
    protected FakeTimeProvider Time { get; } = new();

    /// <summary>How long (real time) <see cref="WaitForQuiescenceAsync{TState}"/> waits by default: generous, for slow shared machines.</summary>
    protected virtual TimeSpan QuiescenceTimeout => TimeSpan.FromSeconds(20);

    /// <summary>Job messages that became dead letters so far (a snapshot): a pool that loses none leaves this empty.</summary>
    protected IReadOnlyList<object> DeadJobs => [.. _deadJobs];

    /// <summary>
    /// Spawns a pool from <paramref name="options"/> on <see cref="Time"/> (unless the options name a clock other than the
    /// system's) with <paramref name="faults"/> injected; see <see cref="TestPools.SpawnTestPool{TState}"/>.
    /// </summary>
    protected TestPool<TState> SpawnTestPool<TState>(PoolOptions<TState> options, FaultPlan? faults = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Sys.SpawnTestPool(options, faults, options.TimeProvider == TimeProvider.System ? Time : null);
    }

    /// <summary>Waits until <paramref name="pool"/> is quiescent (see <see cref="TestPool{TState}.WaitForQuiescenceAsync"/>), at most <paramref name="timeout"/> (default <see cref="QuiescenceTimeout"/>).</summary>
    protected Task<PoolStats> WaitForQuiescenceAsync<TState>(TestPool<TState> pool, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.WaitForQuiescenceAsync(timeout ?? QuiescenceTimeout);
    }

    /// <summary>
    /// Asserts now that the pool's counters balance, that every job submitted through <paramref name="pool"/> has its
    /// outcome and that no job message became a dead letter. Returns the stats it checked.
    /// </summary>
    /// <exception cref="PoolAssertionException">A promise was broken; the message shows the numbers.</exception>
    protected async Task<PoolStats> AssertBalancedAsync<TState>(TestPool<TState> pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var stats = await pool.AssertBalancedAsync().WaitAsync(QuiescenceTimeout).ConfigureAwait(false);
        AssertNoDeadJobs();
        return stats;
    }

    /// <summary>Asserts now that the counters of <paramref name="pool"/> balance and that no job message became a dead letter; returns the stats.</summary>
    /// <exception cref="PoolAssertionException">A promise was broken; the message shows the numbers.</exception>
    protected async Task<PoolStats> AssertBalancedAsync<TState>(PoolRef<TState> pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var stats = await pool.GetStatsAsync().WaitAsync(QuiescenceTimeout).ConfigureAwait(false);
        PoolAssert.CountersBalance(stats, pool.Name);
        AssertNoDeadJobs();
        return stats;
    }

    /// <summary>Asserts that no job message became a dead letter (a job Akka dropped would never get its outcome).</summary>
    /// <exception cref="PoolAssertionException">Some did; the message names their types.</exception>
    protected void AssertNoDeadJobs()
    {
        var dead = DeadJobs;
        if (dead.Count > 0)
        {
            throw new PoolAssertionException($"{dead.Count} job message(s) became dead letters: {string.Join(", ", dead.Select(m => m.GetType().Name))}.");
        }
    }

    /// <summary>Keeps the dead letters that carry jobs: a job envelope, a batch of them, or a <see cref="Submit"/>.</summary>
    private sealed class DeadJobRecorder(ConcurrentQueue<object> dead) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is DeadLetter { Message: JobEnvelope or JobBatch or Submit } letter)
            {
                dead.Enqueue(letter.Message);
            }
        }
    }
}
