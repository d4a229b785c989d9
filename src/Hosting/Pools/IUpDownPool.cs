using Actorpool.Actors.Messaging;
using Actorpool.Actors.Pools;

namespace Actorpool.Hosting.Pools;

/// <summary>
/// An injectable handle on an up/down pool of the host (keyed by the pool's name, and unkeyed for the first up/down
/// pool of each message pair), registered with <c>AddUpDownPool</c>. The host creates the pool on its actor system,
/// adds the workers, and when it stops, stops the workers and hands every up message still queued to <see cref="Stopped"/>.
/// </summary>
/// <typeparam name="TDown">The messages sent down to the workers.</typeparam>
/// <typeparam name="TUp">The messages the workers send up.</typeparam>
public interface IUpDownPool<TDown, TUp>
{
    /// <summary>The pool's name, as registered.</summary>
    string Name { get; }

    /// <summary><c>true</c> once the host has started the pool.</summary>
    bool IsStarted { get; }

    /// <summary>The running pool: send down, receive up.</summary>
    /// <exception cref="InvalidOperationException">The host has not started the pool (yet), or failed to.</exception>
    ActorUpDownPool<TDown, TUp> Pool { get; }

    /// <summary>
    /// Completes when the host has stopped the pool, with the up messages nobody had received (in arrival order) and
    /// every worker failure since the last stop: with what the manager received, every message sent up is accounted for.
    /// </summary>
    Task<UpDownStopReport<TUp>> Stopped { get; }

    /// <summary>
    /// The pool's counters once it is running (waits for the start): each up message is a job, submitted when it enters
    /// the up-queue and completed when the manager takes it or the stop hands it to <see cref="Stopped"/>. Backlog is the
    /// up-queue's length, Workers the workers added since the start.
    /// </summary>
    Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default);
}
