using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Testing;

/// <summary>Spawns pools under test from any actor system or actor context (a TestKit spec's <c>Sys</c>, say), whatever the spec's base class.</summary>
public static class TestPools
{
    /// <summary>
    /// Spawns a pool from <paramref name="options"/> with <paramref name="faults"/> injected (<see cref="FaultInjection.WithFaults{TState}"/>)
    /// and returns its test handle. Pass a <c>FakeTimeProvider</c> as <paramref name="time"/> to run the pool's
    /// clock (scaling, restart backoff, timeouts, injected delays) from the spec; it replaces the options' clock.
    /// </summary>
    /// <param name="factory">The actor system or actor context to spawn the pool from.</param>
    /// <param name="options">The pool's options, as the code under test builds them.</param>
    /// <param name="faults">The fault plan; <c>null</c> = a new, empty one (plan faults later through <see cref="TestPool{TState}.Faults"/>).</param>
    /// <param name="time">The pool's clock; <c>null</c> = the one in <paramref name="options"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static TestPool<TState> SpawnTestPool<TState>(this IActorRefFactory factory, PoolOptions<TState> options, FaultPlan? faults = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        faults ??= new FaultPlan();
        if (time is not null)
        {
            options = options with { TimeProvider = time };
        }

        options.Validate(); // before wrapping: a missing Init is reported as the pool reports it
        var pool = factory.SpawnPool(options.WithFaults(faults));
        return new TestPool<TState>(pool, faults, options.TimeProvider);
    }
}
