using Actorpool.Actors.Messaging;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Actorpool.Hosting.Configuration;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace Actorpool.Hosting.Pools;

/// <summary>A registered up/down pool: its options callback and worker setup, and once started, the pool.</summary>
internal sealed class HostedUpDownPool<TDown, TUp>(
    string name,
    Action<IServiceProvider, ActorUpDownPool<TDown, TUp>> addWorkers,
    Func<UpDownOptions, UpDownOptions> configure) : HostedPoolBase(name), IUpDownPool<TDown, TUp>
{
    private static readonly string[] Settings = [nameof(PoolSettings.Capacity)];

    // Completed as the started pool's stop is; faulted when the host failed to start the pool.
    private readonly TaskCompletionSource<UpDownStopReport<TUp>> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override string Kind => PoolKinds.UpDown;

    public override Type HandleType => typeof(IUpDownPool<TDown, TUp>);

    public override IReadOnlyList<string> SettingNames => Settings;

    public ActorUpDownPool<TDown, TUp> Pool => ((ManagedUpDownPool<TDown, TUp>)Managed).Pool;

    public Task<UpDownStopReport<TUp>> Stopped => _stopped.Task;

    public override void FailStart(Exception cause)
    {
        // A pool that started keeps its report for the drain that follows a failed host start.
        if (!IsStarted)
        {
            _stopped.TrySetException(new InvalidOperationException($"Pool '{Name}' did not start: {cause.Message}", cause));
        }

        base.FailStart(cause);
    }

    public override void CheckOptions(IServiceProvider services, PoolSettings? settings) => Build(services, settings);

    protected override async Task<IManagedPool> StartCoreAsync(ActorSystem system, IServiceProvider services, PoolSettings? settings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var managed = ManagedUpDownPool<TDown, TUp>.Create(system, Build(services, settings), HostMeter.Instruments(services));
        try
        {
            addWorkers(services, managed.Pool);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await managed.DrainAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            throw new InvalidOperationException($"Pool '{Name}': adding its workers failed: {e.Message}", e);
        }

        _ = managed.Stopped.ContinueWith(
            static (stop, handle) => Complete((TaskCompletionSource<UpDownStopReport<TUp>>)handle!, stop),
            _stopped,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return managed;
    }

    private static void Complete(TaskCompletionSource<UpDownStopReport<TUp>> handle, Task<UpDownStopReport<TUp>> stop)
    {
        if (stop.IsCompletedSuccessfully)
        {
            handle.TrySetResult(stop.Result);
        }
        else
        {
            handle.TrySetException(stop.Exception?.InnerExceptions ?? [new OperationCanceledException("The pool's stop was cancelled.")]);
        }
    }

    /// <summary>The seed (the pool's name, the container's clock), then the code's callback, then configuration.</summary>
    private UpDownOptions Build(IServiceProvider services, PoolSettings? settings)
    {
        var seed = UpDownOptions.Default with
        {
            Name = Name,
            TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
        };
        var options = configure(seed) ?? throw new ArgumentException($"Pool '{Name}': the AddUpDownPool configure callback returned null.", nameof(configure));
        if (!string.Equals(options.Name, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Pool '{Name}': the configure callback must keep Name, was '{options.Name}'.", nameof(configure));
        }

        if (settings?.Capacity is { } capacity)
        {
            options = options with { Capacity = capacity };
        }

        ValidateNamed(options.Validate);

        return options;
    }
}
