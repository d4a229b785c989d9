using Akka.Actor;

namespace Actorpool.Actors.Messaging;

/// <summary>Entry points that create up/down pools.</summary>
public static class UpDownPool
{
    /// <summary>
    /// Creates an up/down pool whose workers are actors under a pool actor created by <paramref name="factory"/>
    /// (an <see cref="ActorSystem"/> or an actor's <c>Context</c>). The pool starts with no workers.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static ActorUpDownPool<TDown, TUp> Create<TDown, TUp>(IActorRefFactory factory, UpDownOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new ActorUpDownPool<TDown, TUp>(factory, options ?? UpDownOptions.Default);
    }

    /// <summary>Creates an up/down pool whose workers are closures on dedicated threads. The pool starts with no workers.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static ThreadUpDownPool<TDown, TUp> CreateThreaded<TDown, TUp>(UpDownOptions? options = null) =>
        new(options ?? UpDownOptions.Default);

    /// <summary>Creates an up/down pool of actor workers under <paramref name="factory"/>; see <see cref="Create{TDown, TUp}"/>.</summary>
    public static ActorUpDownPool<TDown, TUp> SpawnUpDownPool<TDown, TUp>(this IActorRefFactory factory, UpDownOptions? options = null) =>
        Create<TDown, TUp>(factory, options);
}
