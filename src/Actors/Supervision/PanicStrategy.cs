using Akka.Actor;

namespace Actorpool.Actors.Supervision;

/// <summary>
/// The pool's Akka supervisor strategy: one-for-one, with the directive chosen by the pool (which knows the
/// failed worker, the policy and the restart budget) instead of by exception type. With a <c>log</c> callback the
/// pool logs each failure itself (at the level its outcome deserves); without one Akka logs it (Error with the stack).
/// </summary>
internal sealed class PanicStrategy(
    Func<IActorRef, Exception, Directive> decide,
    Action<IActorRef, Exception, Directive>? log = null) : OneForOneStrategy(static _ => Directive.Restart)
{
    protected override Directive Handle(IActorRef child, Exception exception) => decide(child, exception);

    protected override void LogFailure(IActorContext context, IActorRef child, Exception cause, Directive directive)
    {
        if (log is null)
        {
            base.LogFailure(context, child, cause, directive);
        }
        else
        {
            log(child, cause, directive);
        }
    }
}
