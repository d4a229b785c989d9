using Actorpool.Hosting.Pools;
using Akka.Actor;

namespace Actorpool.Hosting;

internal sealed class PoolRegistry(ActorSystemHost host, ActorpoolRegistration registration) : IPoolRegistry
{
    public ActorSystem System => host.System;

    public IReadOnlyList<string> Names => registration.Pools.ConvertAll(p => p.Name);

    public IPool<TState> Get<TState>(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var pool = registration.Find(name)
            ?? throw new KeyNotFoundException($"No pool named '{name}' is registered; registered: {string.Join(", ", Names)}.");
        return pool as IPool<TState>
            ?? throw new InvalidCastException($"Pool '{pool.Name}' runs on state {pool.StateType.Name}, not {typeof(TState).Name}.");
    }
}
