using Akka.Actor;

namespace Actorpool.Actors.Supervision;

/// <summary>
/// The pool's Akka supervisor strategy: one-for-one, with the directive chosen by the pool (which knows the
/// failed worker, the policy and the restart budget) instead of by exception type. Akka logs each failure.
/// </summary>
internal sealed class PanicStrategy(Func<IActorRef, Exception, Directive> decide) : OneForOneStrategy(static _ => Directive.Restart)
{
    protected override Directive Handle(IActorRef child, Exception exception) => decide(child, exception);
}
