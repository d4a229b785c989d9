using Actorpool.Actors.Pools;
using Actorpool.Hosting.Configuration;
using Akka.Actor;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// What every registered pool kind shares: the start signal that early callers wait on, and the running pool as an
/// <see cref="IManagedPool"/> once the host started it. A kind supplies its settings, its check and its start.
/// </summary>
internal abstract class HostedPoolBase(string name) : IHostedPool
{
    // Completed once by the hosted service's start path (the running pool, or the failure); early callers await it.
    private readonly TaskCompletionSource<IManagedPool> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    public abstract string Kind { get; }

    public abstract Type HandleType { get; }

    public abstract IReadOnlyList<string> SettingNames { get; }

    public bool IsStarted => _started.Task.IsCompletedSuccessfully;

    public virtual IActorRef? Ref => null;

    public virtual Exception? KillCause => null;

    public List<Type> RegistryKeys { get; } = [];

    public IManagedPool Managed => IsStarted
        ? _started.Task.Result
        : throw new InvalidOperationException($"Pool '{Name}' is not running: the host has not started it yet, or failed to.");

    public Task Completion => IsStarted ? _started.Task.Result.Completion : _started.Task.ContinueWith(
        static t => t.IsCompletedSuccessfully ? t.Result.Completion : Task.CompletedTask,
        CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default).Unwrap();

    /// <summary>Completes with the running pool once the host started it; faults when the start failed.</summary>
    protected Task<IManagedPool> Started => _started.Task;

    public abstract void CheckOptions(IServiceProvider services, PoolSettings? settings);

    public async Task<PoolStats> StartAsync(ActorSystem system, IServiceProvider services, PoolSettings? settings, CancellationToken cancellationToken)
    {
        var pool = await StartCoreAsync(system, services, settings, cancellationToken).ConfigureAwait(false);
        var stats = await pool.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        _started.TrySetResult(pool);
        return stats;
    }

    public virtual void FailStart(Exception cause) =>
        _started.TrySetException(new InvalidOperationException($"Pool '{Name}' did not start: {cause.Message}", cause));

    public Task<PoolStopReport> DrainAsync(TimeSpan? deadline) => Managed.DrainAsync(deadline);

    public async Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var pool = await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await pool.GetStatsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the pool; returns once it runs, or throws naming why it could not.</summary>
    protected abstract Task<IManagedPool> StartCoreAsync(ActorSystem system, IServiceProvider services, PoolSettings? settings, CancellationToken cancellationToken);

    /// <summary>Runs an options record's <paramref name="validate"/>, prefixing its message with the pool's name.</summary>
    protected void ValidateNamed(Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Pool '{Name}': {e.Message}", e.ParamName, e);
        }
    }

    /// <summary>Checks the pool a start callback returned: not null, named as registered.</summary>
    protected IManagedPool CheckStarted(IManagedPool? pool) =>
        pool is null ? throw new InvalidOperationException($"Pool '{Name}': the start callback returned null.")
        : !string.Equals(pool.Name, Name, StringComparison.Ordinal)
            ? throw new InvalidOperationException($"Pool '{Name}': the start callback returned a pool named '{pool.Name}'; it must keep the registered name.")
        : pool;
}
