using Actorpool.Actors.Messaging;
using Actorpool.Actors.Pools;
using Actorpool.Dynamic;
using Actorpool.Hosting.Configuration;
using Actorpool.Hosting.Pools;
using Akka.Actor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actorpool.Hosting;

internal sealed class ActorpoolBuilder(IServiceCollection services, ActorpoolRegistration registration) : IActorpoolBuilder
{
    public IServiceCollection Services { get; } = services;

    internal ActorpoolRegistration Registration { get; } = registration;

    public IActorpoolBuilder BindConfiguration(string? sectionPath = null)
    {
        sectionPath ??= ActorpoolDefaults.SectionName;
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        if (Registration.BoundSections.Add(sectionPath))
        {
            // Post-configure, so that configuration wins over Configure(...) whatever the call order.
            Services.AddOptions<ActorpoolOptions>()
                .PostConfigure<IConfiguration>((options, configuration) => BindSection(options, configuration.GetSection(sectionPath)));
        }

        return this;
    }

    // The binder silently drops a dictionary entry it cannot convert (a wrong type under Pools:<name> would leave
    // that pool on its code settings), so each pool section is bound on its own, where a conversion error throws
    // naming the key and the value and fails the host start.
    private static void BindSection(ActorpoolOptions options, IConfigurationSection section)
    {
        section.Bind(options);
        foreach (var pool in section.GetSection(nameof(ActorpoolOptions.Pools)).GetChildren())
        {
            if (!options.Pools.TryGetValue(pool.Key, out var settings))
            {
                settings = new PoolSettings();
                options.Pools[pool.Key] = settings;
            }

            pool.Bind(settings);
        }
    }

    public IActorpoolBuilder Configure(Action<ActorpoolOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    public IActorpoolBuilder UseActorSystem(Func<IServiceProvider, ActorSystem> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Registration.SystemFactory = factory;
        return this;
    }

    public IActorpoolBuilder AddPool<TState>(string name, Func<PoolOptions<TState>, PoolOptions<TState>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddPool<TState>(name, (_, options) => configure(options));
    }

    public IActorpoolBuilder AddPool<TState>(string name, Func<IServiceProvider, PoolOptions<TState>, PoolOptions<TState>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var first = !Registration.Pools.Exists(p => p is HostedPool<TState>);
        var pool = Register(new HostedPool<TState>(CheckName(name), configure));

        // The first pool of a state type is the one DI gives unkeyed; Akka.Hosting's type-keyed ActorRegistry gets it the same way.
        if (first)
        {
            pool.RegistryKeys.Add(typeof(IPool<TState>));
        }

        Services.AddKeyedSingleton<IPool<TState>>(name, pool);
        Services.TryAddSingleton<IPool<TState>>(pool);
        return this;
    }

    public IActorpoolBuilder AddDynamicPool<TData>(string name, Func<IServiceProvider, IDynamicSystem<TData>> system, Func<DynamicPoolOptions, DynamicPoolOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var pool = Register(new HostedDynamicPool<TData>(CheckName(name), system, configure ?? (static o => o)));
        Services.AddKeyedSingleton<IDynamicPool<TData>>(name, pool);
        Services.TryAddSingleton<IDynamicPool<TData>>(pool);
        return this;
    }

    public IActorpoolBuilder AddUpDownPool<TDown, TUp>(string name, Action<IServiceProvider, ActorUpDownPool<TDown, TUp>> addWorkers, Func<UpDownOptions, UpDownOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(addWorkers);
        var pool = Register(new HostedUpDownPool<TDown, TUp>(CheckName(name), addWorkers, configure ?? (static o => o)));
        Services.AddKeyedSingleton<IUpDownPool<TDown, TUp>>(name, pool);
        Services.TryAddSingleton<IUpDownPool<TDown, TUp>>(pool);
        return this;
    }

    public IActorpoolBuilder AddPool(string name, string kind, Func<IServiceProvider, ActorSystem, CancellationToken, Task<IManagedPool>> start)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(start);
        Register(new HostedManagedPool(CheckName(name), kind, start));
        return this;
    }

    private string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Registration.Find(name) is { } existing)
        {
            throw new ArgumentException($"A pool named '{existing.Name}' is already registered; pool names are unique (case-insensitive), was '{name}'.", nameof(name));
        }

        return name;
    }

    private T Register<T>(T pool)
        where T : IHostedPool
    {
        Registration.Pools.Add(pool);
        return pool;
    }
}
