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
}
