using Actorpool.Actors.Pools;
using Actorpool.Hosting.Pools;
using Akka.Actor;

namespace Actorpool.Hosting;

/// <summary>
/// The hosted actor system and its pools, injectable anywhere in the application once the host has started.
/// </summary>
public interface IPoolRegistry
{
    /// <summary>The actor system the pools run on.</summary>
    /// <exception cref="InvalidOperationException">The host has not started yet, or has stopped.</exception>
    ActorSystem System { get; }

    /// <summary>The names of the registered pools of every kind, in the order they start.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The handle on the pool named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No pool has that name; the message lists the registered ones.</exception>
    /// <exception cref="InvalidCastException">The pool is not an actor pool on <typeparamref name="TState"/>; the message names the handle it has.</exception>
    IPool<TState> Get<TState>(string name);

    /// <summary>The running pool named <paramref name="name"/> (case-insensitive), of any kind, as the host manages it.</summary>
    /// <exception cref="KeyNotFoundException">No pool has that name; the message lists the registered ones.</exception>
    /// <exception cref="InvalidOperationException">The host has not started the pool (yet), or failed to.</exception>
    IManagedPool GetManaged(string name);
}
