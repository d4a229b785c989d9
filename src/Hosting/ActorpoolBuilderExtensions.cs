using Actorpool.Actors.Pools;

namespace Actorpool.Hosting;

/// <summary>Pool registrations that also name the pool's key in Akka.Hosting's type-keyed <c>ActorRegistry</c>.</summary>
public static class ActorpoolBuilderExtensions
{
    /// <summary>
    /// Registers a pool as <see cref="IActorpoolBuilder.AddPool{TState}(string, Func{PoolOptions{TState}, PoolOptions{TState}})"/>
    /// does, and once it has started puts its actor in the actor system's <c>ActorRegistry</c> under <typeparamref name="TKey"/>
    /// (a marker type of the application's, as Akka.Hosting users key their actors): <c>registry.Get&lt;TKey&gt;()</c> or an
    /// injected <c>IRequiredActor&lt;TKey&gt;</c> then finds it.
    /// </summary>
    /// <exception cref="ArgumentException">A pool with this name (case-insensitive) is already registered.</exception>
    public static IActorpoolBuilder AddPool<TState, TKey>(this IActorpoolBuilder builder, string name, Func<PoolOptions<TState>, PoolOptions<TState>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddPool<TState, TKey>(name, (_, options) => configure(options));
    }

    /// <summary>Registers a pool built with the application's services and keyed <typeparamref name="TKey"/> in the <c>ActorRegistry</c>.</summary>
    /// <exception cref="ArgumentException">A pool with this name (case-insensitive) is already registered.</exception>
    public static IActorpoolBuilder AddPool<TState, TKey>(this IActorpoolBuilder builder, string name, Func<IServiceProvider, PoolOptions<TState>, PoolOptions<TState>> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder is not ActorpoolBuilder own)
        {
            throw new ArgumentException($"AddPool<TState, TKey> needs the builder that services.AddActorpool(...) passes, was {builder.GetType().Name}.", nameof(builder));
        }

        own.AddPool(name, configure);
        own.Registration.Find(name)!.RegistryKeys.Add(typeof(TKey));
        return builder;
    }
}
