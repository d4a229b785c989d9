using Actorpool.Hosting;
using Actorpool.Hosting.Health;
using Actorpool.Hosting.Shutdown;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Actorpool in a service collection.</summary>
public static class ActorpoolServiceCollectionExtensions
{
    /// <summary>
    /// Adds Actorpool: a hosted service that creates (or joins) the actor system and starts, drains and stops
    /// the registered pools with the host. Safe to call more than once: later calls extend the first.
    /// </summary>
    public static IServiceCollection AddActorpool(this IServiceCollection services, Action<IActorpoolBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registration = FindRegistration(services);
        if (registration is null)
        {
            registration = new ActorpoolRegistration();
            services.AddSingleton(registration);
            services.AddOptions<ActorpoolOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ActorpoolOptions>, ActorpoolOptionsValidator>());
            services.TryAddSingleton<ActorSystemHost>();
            services.TryAddSingleton<HostDrain>();
            services.TryAddSingleton<IPoolRegistry, PoolRegistry>();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<ActorpoolHealthCheck>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ActorpoolHostedService>());
        }

        configure?.Invoke(new ActorpoolBuilder(services, registration));
        return services;
    }

    private static ActorpoolRegistration? FindRegistration(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ActorpoolRegistration) && !descriptor.IsKeyedService
                && descriptor.ImplementationInstance is ActorpoolRegistration found)
            {
                return found;
            }
        }

        return null;
    }
}
