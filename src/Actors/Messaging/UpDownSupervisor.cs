using Actorpool.Actors.Supervision;
using Actorpool.Actors.Workers;
using Akka.Actor;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// The pool's actor: parent of the worker actors, router of down messages (so a message sent right after a worker
/// was added reaches it), judge of failures (the panic policy), and the place an actor manager asks for a burst.
/// </summary>
internal sealed class UpDownSupervisor<TUp> : UntypedActor
{
    private readonly Dictionary<int, IActorRef> _workers = []; // live workers of the current generation by index
    private readonly Dictionary<IActorRef, RestartDelay> _delays = []; // each live worker's backoff between restarts
    private readonly IUpDownHost<TUp> _host;
    private readonly Panic _panic;

    public UpDownSupervisor(IUpDownHost<TUp> host, PanicPolicy policy, TimeProvider time)
    {
        _host = host;
        _panic = new Panic(policy, time);
    }

    protected override SupervisorStrategy SupervisorStrategy() => new PanicStrategy(Decide);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ToWorker to:
                if (_workers.TryGetValue(to.Index, out var worker))
                {
                    worker.Tell(to.Message, Sender);
                }

                break;
            case ToAll all:
                foreach (var each in _workers.Values)
                {
                    each.Tell(all.Message, Sender);
                }

                break;
            case SpawnWorker spawn:
                var child = Context.ActorOf(spawn.Props, $"w{spawn.Generation}-{spawn.Index}");
                Context.Watch(child);
                _workers[spawn.Index] = child;
                _delays[child] = spawn.Delay;
                break;
            case Terminated terminated:
                _delays.Remove(terminated.ActorRef);
                foreach (var (index, each) in _workers)
                {
                    if (each.Equals(terminated.ActorRef))
                    {
                        _workers.Remove(index);
                        break;
                    }
                }

                _host.WorkerEnded();
                break;
            case RequestUpBurst:
                Sender.Tell(_host.Burst());
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private Directive Decide(IActorRef child, Exception failure)
    {
        var initFailed = failure is ActorInitializationException or WorkerInitException;
        var cause = initFailed && failure.InnerException is { } inner ? inner : failure;
        _host.RecordFailure(cause);

        // A worker whose init threw has no state to resume with, and rebuilding it is Respawn's job: under Resume it ends.
        if (initFailed && _panic.Policy.Kind == PanicKind.Resume)
        {
            return Directive.Stop;
        }

        var delay = _delays.GetValueOrDefault(child);
        var verdict = _panic.Judge(cause, noProgress: initFailed, delay?.NextAttempt() ?? 1);
        switch (verdict.Kind)
        {
            case PanicKind.Kill:
                // Kill stops every worker, not only the one that failed; their down messages are dropped, their up
                // messages (queued or parked in the up-queue) are not.
                foreach (var each in _workers.Values)
                {
                    Context.Stop(each);
                }

                return Directive.Stop;
            case PanicKind.Resume:
                return Directive.Resume;
            default:
                delay?.Set(verdict.Backoff); // the restarted worker builds its state after this (UpDownWorkerActor)
                return Directive.Restart;
        }
    }

    internal sealed record SpawnWorker(int Index, int Generation, Props Props, RestartDelay Delay);

    internal sealed record ToWorker(int Index, object Message);

    internal sealed record ToAll(object Message);
}

/// <summary>What the supervisor needs from its pool.</summary>
internal interface IUpDownHost<TUp>
{
    void RecordFailure(Exception failure);

    void WorkerEnded();

    UpBurst<TUp> Burst();
}
