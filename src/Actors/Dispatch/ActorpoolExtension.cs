using Akka.Actor;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// The Akka extension that installs Actorpool's dispatcher (<see cref="WorkStealingDispatcher.Id"/>) and pool mailbox
/// in an actor system, with the system's own HOCON under those paths merged over the defaults (user keys win).
/// Load it when the system starts by listing <see cref="ActorpoolExtensionProvider.HoconName"/> in
/// <c>akka.extensions</c>, or call <see cref="ActorpoolActorSystemExtensions.UseActorpool"/> before creating actors
/// that name the dispatcher. <c>SpawnPool</c> and the hosted service install it themselves.
/// </summary>
public sealed class ActorpoolExtension : IExtension
{
    internal ActorpoolExtension(ActorSystem system)
    {
        PoolMailbox.Register(system);
        WorkStealingDispatcher.Register(system);
    }

    /// <summary>The extension of <paramref name="system"/>, installed on first use (idempotent, thread-safe).</summary>
    /// <exception cref="InvalidOperationException">
    /// The dispatcher id was already resolved by Akka without Actorpool's defaults (see <see cref="WorkStealingDispatcher.Register"/>).
    /// </exception>
    public static ActorpoolExtension Get(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WithExtension<ActorpoolExtension, ActorpoolExtensionProvider>();
    }
}

/// <summary>Creates the <see cref="ActorpoolExtension"/>; public because Akka instantiates it from <c>akka.extensions</c>.</summary>
public sealed class ActorpoolExtensionProvider : ExtensionIdProvider<ActorpoolExtension>
{
    /// <summary>The entry for <c>akka.extensions</c>: <c>akka.extensions = ["Actorpool.Actors.Dispatch.ActorpoolExtensionProvider, Actorpool.Actors"]</c>.</summary>
    public const string HoconName = "Actorpool.Actors.Dispatch.ActorpoolExtensionProvider, Actorpool.Actors";

    /// <summary>Installs the dispatcher and mailbox in <paramref name="system"/>.</summary>
    public override ActorpoolExtension CreateExtension(ExtendedActorSystem system) => new(system);
}

/// <summary>Code-first entry point for systems that do not list the extension in <c>akka.extensions</c>.</summary>
public static class ActorpoolActorSystemExtensions
{
    /// <summary>
    /// Installs <see cref="ActorpoolExtension"/> in <paramref name="system"/> and returns the system, so that
    /// <c>Props.WithDispatcher(WorkStealingDispatcher.Id)</c> resolves. Call it before creating any actor on that dispatcher.
    /// </summary>
    /// <exception cref="InvalidOperationException">An actor already resolved the dispatcher id from HOCON without Actorpool's defaults.</exception>
    public static ActorSystem UseActorpool(this ActorSystem system)
    {
        _ = ActorpoolExtension.Get(system);
        return system;
    }
}
