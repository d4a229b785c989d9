using Akka.Actor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
}
