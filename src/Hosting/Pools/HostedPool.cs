using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Actorpool.Hosting.Configuration;
using Akka.Actor;

namespace Actorpool.Hosting.Pools;

/// <summary>One registered pool: its configure callback, and once started, its <see cref="PoolRef{TState}"/>.</summary>
internal sealed class HostedPool<TState>(string name, Func<IServiceProvider, PoolOptions<TState>, PoolOptions<TState>> configure)
    : HostedPoolBase(name), IPool<TState>
{
    // Every PoolSettings property but those of other kinds (Capacity, PollInterval).
    private static readonly string[] Settings =
    [
        nameof(PoolSettings.Workers), nameof(PoolSettings.MinWorkers), nameof(PoolSettings.MaxWorkers), nameof(PoolSettings.Backlog),
        nameof(PoolSettings.Prefetch), nameof(PoolSettings.Dispatcher), nameof(PoolSettings.SupervisorDispatcher),
        nameof(PoolSettings.OwnThreads), nameof(PoolSettings.JobTimeout), nameof(PoolSettings.FailureLogLevel), nameof(PoolSettings.Panic),
    ];

    public override string Kind => PoolKinds.Actor;

    public override Type HandleType => typeof(IPool<TState>);

    public override IReadOnlyList<string> SettingNames => Settings;

    public override IActorRef? Ref => IsStarted ? Pool.Ref : null;

    public override Exception? KillCause => IsStarted ? Pool.KillCause : null;

    public PoolRef<TState> Pool => (PoolRef<TState>)Managed;

    public Task<TResult> RunAsync<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsStarted ? Pool.RunAsync(job, cancellationToken, timeout) : WhenStartedAsync(p => p.RunAsync(job, cancellationToken, timeout), cancellationToken);
    }

    public Task RunAsync(Action<TState> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsStarted ? Pool.RunAsync(job, cancellationToken, timeout) : WhenStartedAsync(p => p.RunAsync(job, cancellationToken, timeout), cancellationToken);
    }

    public Task<TResult> RunAsync<TResult>(Func<TState, CancellationToken, ValueTask<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsStarted ? Pool.RunAsync(job, cancellationToken, timeout) : WhenStartedAsync(p => p.RunAsync(job, cancellationToken, timeout), cancellationToken);
    }

    public Task RunAsync(Func<TState, CancellationToken, ValueTask> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsStarted ? Pool.RunAsync(job, cancellationToken, timeout) : WhenStartedAsync(p => p.RunAsync(job, cancellationToken, timeout), cancellationToken);
    }

    public Task<TResult> RunAsync<TResult>(Func<TState, Task<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsStarted ? Pool.RunAsync(job, cancellationToken, timeout) : WhenStartedAsync(p => p.RunAsync(job, cancellationToken, timeout), cancellationToken);
    }

    public Task RunAsync(Func<TState, Task> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsStarted ? Pool.RunAsync(job, cancellationToken, timeout) : WhenStartedAsync(p => p.RunAsync(job, cancellationToken, timeout), cancellationToken);
    }

    public ValueTask<TResult> RunValueAsync<TResult>(Func<TState, TResult> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsStarted ? Pool.RunValueAsync(job, cancellationToken, timeout) : new(WhenStartedAsync(p => p.RunValueAsync(job, cancellationToken, timeout).AsTask(), cancellationToken));
    }

    public ValueTask<TResult> RunValueAsync<TResult>(Func<TState, CancellationToken, ValueTask<TResult>> job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        return IsStarted ? Pool.RunValueAsync(job, cancellationToken, timeout) : new(WhenStartedAsync(p => p.RunValueAsync(job, cancellationToken, timeout).AsTask(), cancellationToken));
    }

    public bool TryRun<TResult>(Func<TState, TResult> job, out Task<TResult> result)
    {
        if (IsStarted)
        {
            return Pool.TryRun(job, out result);
        }

        result = Task.FromException<TResult>(new JobRejectedException($"Pool '{Name}' is not running: the host has not started it yet."));
        return false;
    }

    public override void CheckOptions(IServiceProvider services, PoolSettings? settings) =>
        PoolOptionsBuilder<TState>.Build(Name, configure, services, settings);

    protected override async Task<IManagedPool> StartCoreAsync(ActorSystem system, IServiceProvider services, PoolSettings? settings, CancellationToken cancellationToken)
    {
        var pool = system.SpawnPool(PoolOptionsBuilder<TState>.Build(Name, configure, services, settings));

        // Every first worker has tried its Init once (a Kill policy has killed the pool by then if one failed), and
        // a round trip proves the supervisor is up: a pool that died on the way fails the start.
        await pool.Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        var stats = await pool.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        if (pool.KillCause is { } cause)
        {
            throw new InvalidOperationException($"Pool '{Name}' was killed by its panic policy while starting: {cause.Message}", cause);
        }

        if (stats.Killed || pool.Completion.IsCompleted)
        {
            throw new InvalidOperationException($"Pool '{Name}' stopped while starting.");
        }

        return pool;
    }

    /// <summary>Submits through <paramref name="submit"/> once the host has started the pool (jobs submitted early wait).</summary>
    private async Task<TResult> WhenStartedAsync<TResult>(Func<PoolRef<TState>, Task<TResult>> submit, CancellationToken cancellationToken)
    {
        var pool = (PoolRef<TState>)await Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await submit(pool).ConfigureAwait(false);
    }

    private async Task WhenStartedAsync(Func<PoolRef<TState>, Task> submit, CancellationToken cancellationToken)
    {
        var pool = (PoolRef<TState>)await Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        await submit(pool).ConfigureAwait(false);
    }
}
