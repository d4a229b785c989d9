using Actorpool.Actors.Pools;
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
    /// Binds <see cref="ActorpoolOptions"/> from the configuration section at <paramref name="sectionPath"/> (<c>null</c>:
    /// <see cref="ActorpoolDefaults.SectionName"/>, "Actorpool");
    /// values there win over values set in code. Binding the same path twice has no further effect.
    /// </summary>
    IActorpoolBuilder BindConfiguration(string? sectionPath = null);

    /// <summary>Changes <see cref="ActorpoolOptions"/> in code; runs before configuration is bound.</summary>
    IActorpoolBuilder Configure(Action<ActorpoolOptions> configure);

    /// <summary>
    /// Runs on an actor system the application owns (for instance one made by Akka.Hosting): the host never
    /// terminates it. Without this call a registered <see cref="ActorSystem"/> service is used when present.
    /// </summary>
    IActorpoolBuilder UseActorSystem(Func<IServiceProvider, ActorSystem> factory);

    /// <summary>
    /// Registers a pool the host starts and drains. <paramref name="configure"/> receives options carrying the name and
    /// must set <c>Init</c>; values under <c>Actorpool:Pools:&lt;name&gt;</c> then replace what it set. The pool is injectable
    /// as <c>IPool&lt;TState&gt;</c> keyed by <paramref name="name"/>, and unkeyed for the first pool of its state type; that
    /// first pool's actor is also in the actor system's Akka.Hosting <c>ActorRegistry</c> under the key <c>IPool&lt;TState&gt;</c>
    /// (<c>AddPool&lt;TState, TKey&gt;</c> adds a key of your own).
    /// The options it receives carry the container's <see cref="TimeProvider"/> when one is registered (job timeouts
    /// and restart budgets run on it) unless <paramref name="configure"/> sets another.
    /// </summary>
    /// <exception cref="ArgumentException">A pool with this name (case-insensitive) is already registered.</exception>
    IActorpoolBuilder AddPool<TState>(string name, Func<PoolOptions<TState>, PoolOptions<TState>> configure);

    /// <summary>Registers a pool whose options are built with the application's services (for instance to open connections in Init).</summary>
    /// <exception cref="ArgumentException">A pool with this name (case-insensitive) is already registered.</exception>
    IActorpoolBuilder AddPool<TState>(string name, Func<IServiceProvider, PoolOptions<TState>, PoolOptions<TState>> configure);
}
