using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// The pool supervisor's mailbox: an unbounded Akka mailbox whose queue takes jobs (<c>Submit</c> messages and
/// Task-facade envelopes) aside into an intake the supervisor drains in bulk, so a job costs the supervisor no
/// actor invocation of its own (see <see cref="PoolMessageQueue"/>). Registered under <see cref="Id"/> by <c>SpawnPool</c>.
/// </summary>
internal sealed class PoolMailbox : MailboxType, IProducesMessageQueue<PoolMessageQueue>
{
    /// <summary>The mailbox id (HOCON path) the supervisor's props name.</summary>
    public const string Id = "actorpool.pool-mailbox";

    private static readonly Config DefaultConfig = ConfigurationFactory.ParseString($$"""
        {{Id}} {
          mailbox-type = "{{typeof(PoolMailbox).FullName}}, {{typeof(PoolMailbox).Assembly.GetName().Name}}"
        }
        """);

    // Systems where Id is resolvable (weak: a terminated system is collected).
    private static readonly ConditionalWeakTable<ActorSystem, object> Registered = new();
    private static readonly Lock Gate = new();
    private static readonly object Marker = new();

    /// <summary>Built by Akka from the HOCON section (public: Akka instantiates it by reflection).</summary>
    public PoolMailbox(Settings settings, Config config)
        : base(settings, config)
    {
    }

    /// <summary>Makes <see cref="Id"/> resolvable in <paramref name="system"/> (user HOCON under that path wins). Idempotent and thread-safe.</summary>
    public static void Register(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (Registered.TryGetValue(system, out _))
        {
            return;
        }

        lock (Gate)
        {
            if (!Registered.TryGetValue(system, out _))
            {
                if (!system.Settings.Config.HasPath(Id))
                {
                    system.Settings.InjectTopLevelFallback(DefaultConfig);
                }

                Registered.Add(system, Marker);
            }
        }
    }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new PoolMessageQueue();
}
