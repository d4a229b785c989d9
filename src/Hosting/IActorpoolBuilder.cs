using Actorpool.Actors.Messaging;
using Actorpool.Actors.Pools;
using Actorpool.Dynamic;
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

    /// <summary>
    /// Registers a dynamic pool the host starts (on threads of its own, named after the pool) and, when it stops, asks to
    /// shut down and waits for, within the same deadline as actor pools. <paramref name="system"/> builds the system at
    /// start; <paramref name="configure"/> receives options carrying the container's <see cref="TimeProvider"/>, and
    /// <c>Actorpool:Pools:&lt;name&gt;:PollInterval</c> then replaces what it set. Injectable as
    /// <see cref="Pools.IDynamicPool{TData}"/> keyed by <paramref name="name"/>, and unkeyed for the first of its data type.
    /// </summary>
    /// <exception cref="ArgumentException">A pool with this name (case-insensitive) is already registered.</exception>
    IActorpoolBuilder AddDynamicPool<TData>(string name, Func<IServiceProvider, IDynamicSystem<TData>> system, Func<DynamicPoolOptions, DynamicPoolOptions>? configure = null);

    /// <summary>
    /// Registers an up/down pool of actor workers the host creates on its actor system, then hands to
    /// <paramref name="addWorkers"/> to add its workers; when the host stops, the workers are stopped (within the same
    /// deadline as actor pools) and the up messages nobody received go to the handle's <c>Stopped</c>.
    /// <paramref name="configure"/> receives options carrying the name and the container's <see cref="TimeProvider"/>,
    /// and <c>Actorpool:Pools:&lt;name&gt;:Capacity</c> then replaces what it set. Injectable as
    /// <see cref="Pools.IUpDownPool{TDown, TUp}"/> keyed by <paramref name="name"/>, and unkeyed for the first of its message types.
    /// </summary>
    /// <exception cref="ArgumentException">A pool with this name (case-insensitive) is already registered.</exception>
    IActorpoolBuilder AddUpDownPool<TDown, TUp>(string name, Action<IServiceProvider, ActorUpDownPool<TDown, TUp>> addWorkers, Func<UpDownOptions, UpDownOptions>? configure = null);

    /// <summary>
    /// Registers a pool of any kind, for instance one defined in another package: <paramref name="start"/> creates it on
    /// the host's actor system when the host starts (failing the start if it throws), and the host drains it with the
    /// same deadline as actor pools, reports it in the health check, and finds it by name through
    /// <see cref="IPoolRegistry.GetManaged"/>. <paramref name="kind"/> must be the <see cref="IManagedPool.Kind"/> of what
    /// <paramref name="start"/> returns. Configuration has no keys for such a pool: its start callback configures it.
    /// </summary>
    /// <exception cref="ArgumentException">A pool with this name (case-insensitive) is already registered, or <paramref name="kind"/> is blank.</exception>
    IActorpoolBuilder AddPool(string name, string kind, Func<IServiceProvider, ActorSystem, CancellationToken, Task<IManagedPool>> start);
}
