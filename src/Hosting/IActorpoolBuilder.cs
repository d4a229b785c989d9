using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace Actorpool.Hosting;

/// <summary>
/// Configures Actorpool inside a service collection: where its settings come from and which actor system
/// it runs on. Returned by <c>services.AddActorpool(...)</c>; every method returns the same builder.
/// </summary>
public interface IActorpoolBuilder
{
    /// <summary>The service collection being configured.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Binds <see cref="ActorpoolOptions"/> from the configuration section at <paramref name="sectionPath"/>;
    /// values there win over values set in code. Binding the same path twice has no further effect.
    /// </summary>
    IActorpoolBuilder BindConfiguration(string sectionPath = ActorpoolDefaults.SectionName);

    /// <summary>Changes <see cref="ActorpoolOptions"/> in code; runs before configuration is bound.</summary>
    IActorpoolBuilder Configure(Action<ActorpoolOptions> configure);

    /// <summary>
    /// Runs on an actor system the application owns (for instance one made by Akka.Hosting): the host never
    /// terminates it. Without this call a registered <see cref="ActorSystem"/> service is used when present.
    /// </summary>
    IActorpoolBuilder UseActorSystem(Func<IServiceProvider, ActorSystem> factory);
}
