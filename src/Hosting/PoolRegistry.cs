using Actorpool.Actors.Pools;
using Actorpool.Hosting.Pools;
using Akka.Actor;

namespace Actorpool.Hosting;

internal sealed class PoolRegistry(ActorSystemHost host, ActorpoolRegistration registration) : IPoolRegistry
{
    public ActorSystem System => host.System;

    public IReadOnlyList<string> Names => registration.Pools.ConvertAll(p => p.Name);

    public IPool<TState> Get<TState>(string name)
    {
        var pool = Find(name);
        return pool as IPool<TState>
            ?? throw new InvalidCastException($"Pool '{pool.Name}' is injectable as {Describe(pool.HandleType)}, not {Describe(typeof(IPool<TState>))}.");
    }

    public IManagedPool GetManaged(string name) => Find(name).Managed;

    private IHostedPool Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return registration.Find(name)
            ?? throw new KeyNotFoundException($"No pool named '{name}' is registered; registered: {string.Join(", ", Names)}.");
    }

    /// <summary>A type as C# spells it, <c>IPool&lt;Int32&gt;</c> rather than <c>IPool`1</c>.</summary>
    private static string Describe(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
        : type.Name;
}
