using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Hosting.Configuration;
using Akka.Actor;

namespace Actorpool.Hosting.Pools;

/// <summary>One registered pool: its configure callback, and once started, its <see cref="PoolRef{TState}"/>.</summary>
internal sealed class HostedPool<TState>(string name, Func<IServiceProvider, PoolOptions<TState>, PoolOptions<TState>> configure)
    : IPool<TState>, IHostedPool
{
    // Completed once by the hosted service's start path (result or failure); callers that come early await it.
    private readonly TaskCompletionSource<PoolRef<TState>> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    public Type StateType => typeof(TState);

    public IActorRef Ref => Pool.Ref;

    public Exception? KillCause => IsStarted ? Pool.KillCause : null;

    public List<Type> RegistryKeys { get; } = [];

    public bool IsStarted => _started.Task.IsCompletedSuccessfully;

    public PoolRef<TState> Pool => IsStarted
        ? _started.Task.Result
        : throw new InvalidOperationException($"Pool '{Name}' is not running: the host has not started it yet, or failed to.");

    public Task Completion => IsStarted ? _started.Task.Result.Completion : _started.Task.ContinueWith(
        static t => t.IsCompletedSuccessfully ? t.Result.Completion : Task.CompletedTask,
        CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default).Unwrap();

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

    public bool TryRun<TResult>(Func<TState, TResult> job, out Task<TResult> result)
    {
        if (IsStarted)
        {
            return _started.Task.Result.TryRun(job, out result);
        }

        result = Task.FromException<TResult>(new JobRejectedException($"Pool '{Name}' is not running: the host has not started it yet."));
        return false;
    }

    public async Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var pool = await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await pool.GetStatsAsync(cancellationToken).ConfigureAwait(false);
    }

    public void CheckOptions(IServiceProvider services, PoolSettings? settings) =>
        PoolOptionsBuilder<TState>.Build(Name, configure, services, settings);

    public async Task<PoolStats> StartAsync(ActorSystem system, IServiceProvider services, PoolSettings? settings, CancellationToken cancellationToken)
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

        _started.TrySetResult(pool);
        return stats;
    }

    public void FailStart(Exception cause) =>
        _started.TrySetException(new InvalidOperationException($"Pool '{Name}' did not start: {cause.Message}", cause));

    public Task<PoolStopReport> DrainAsync(TimeSpan? deadline) => Pool.DrainAsync(deadline);

    Task<PoolStats> IHostedPool.GetStatsAsync(CancellationToken cancellationToken) => GetStatsAsync(cancellationToken);

    /// <summary>Submits through <paramref name="submit"/> once the host has started the pool (jobs submitted early wait).</summary>
    private async Task<TResult> WhenStartedAsync<TResult>(Func<PoolRef<TState>, Task<TResult>> submit, CancellationToken cancellationToken)
    {
        var pool = await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await submit(pool).ConfigureAwait(false);
    }

    private async Task WhenStartedAsync(Func<PoolRef<TState>, Task> submit, CancellationToken cancellationToken)
    {
        var pool = await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await submit(pool).ConfigureAwait(false);
    }
}
