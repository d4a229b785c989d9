using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Actorpool.Dynamic;
using Actorpool.Hosting.Configuration;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace Actorpool.Hosting.Pools;

/// <summary>A registered dynamic pool: its system factory and options callback, and once started, its run.</summary>
internal sealed class HostedDynamicPool<TData>(
    string name,
    Func<IServiceProvider, IDynamicSystem<TData>> systemFactory,
    Func<DynamicPoolOptions, DynamicPoolOptions> configure) : HostedPoolBase(name), IDynamicPool<TData>
{
    private static readonly string[] Settings = [nameof(PoolSettings.PollInterval)];

    public override string Kind => PoolKinds.Dynamic;

    public override Type HandleType => typeof(IDynamicPool<TData>);

    public override IReadOnlyList<string> SettingNames => Settings;

    public DynamicPoolHandle<TData> Handle => ((ManagedDynamicPool<TData>)Managed).Handle;

    public override void CheckOptions(IServiceProvider services, PoolSettings? settings) => Build(services, settings);

    protected override Task<IManagedPool> StartCoreAsync(ActorSystem system, IServiceProvider services, PoolSettings? settings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var options = Build(services, settings);
        var made = systemFactory(services) ?? throw new InvalidOperationException($"Pool '{Name}': the AddDynamicPool system factory returned null.");
        return Task.FromResult<IManagedPool>(ManagedDynamicPool<TData>.Start(Name, made, options, HostMeter.Instruments(services)));
    }

    /// <summary>The seed (the pool's name as thread prefix, the container's clock), then the code's callback, then configuration.</summary>
    private DynamicPoolOptions Build(IServiceProvider services, PoolSettings? settings)
    {
        var seed = DynamicPoolOptions.Default with
        {
            ThreadNamePrefix = Name,
            TimeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System,
        };
        var options = configure(seed) ?? throw new ArgumentException($"Pool '{Name}': the AddDynamicPool configure callback returned null.", nameof(configure));
        if (settings?.PollInterval is { } poll)
        {
            options = options with { PollInterval = poll };
        }

        ValidateNamed(options.Validate);

        return options;
    }
}
