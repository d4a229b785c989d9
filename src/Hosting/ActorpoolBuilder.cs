using Actorpool.Actors.Pools;
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

    public IActorpoolBuilder BindConfiguration(string sectionPath = ActorpoolDefaults.SectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        if (Registration.BoundSections.Add(sectionPath))
        {
            // Post-configure, so that configuration wins over Configure(...) whatever the call order.
            Services.AddOptions<ActorpoolOptions>()
                .PostConfigure<IConfiguration>((options, configuration) => configuration.GetSection(sectionPath).Bind(options));
        }

        return this;
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
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        if (Registration.Find(name) is { } existing)
        {
            throw new ArgumentException($"A pool named '{existing.Name}' is already registered; pool names are unique (case-insensitive), was '{name}'.", nameof(name));
        }

        var pool = new HostedPool<TState>(name, configure);
        Registration.Pools.Add(pool);
        Services.AddKeyedSingleton<IPool<TState>>(name, pool);
        Services.TryAddSingleton<IPool<TState>>(pool);
        return this;
    }
}
