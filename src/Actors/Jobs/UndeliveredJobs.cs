using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;

namespace Actorpool.Actors.Jobs;

/// <summary>
/// Gives an outcome to every job that Akka could not deliver. A job sent to a pool in the instant the pool
/// terminates lands in dead letters (its mailbox is drained there, or the send arrives after the stop); without
/// this, its caller would wait forever. One listener per <see cref="ActorSystem"/>, subscribed to
/// <see cref="AllDeadLetters"/>: an accepted envelope is cancelled (the settle CAS makes this a no-op when it
/// already has an outcome), and a <see cref="Submit"/> that never reached a pool is answered with
/// <see cref="JobRejected"/>. Batches dead-lettered at a worker are the supervisor's to settle (see below).
/// </summary>
internal static class UndeliveredJobs
{
    // Systems that already have the listener (weak: a terminated system is collected).
    private static readonly ConditionalWeakTable<ActorSystem, IActorRef> Listeners = new();
    private static readonly Lock Gate = new();

    public static void EnsureListening(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (Listeners.TryGetValue(system, out _))
        {
            return;
        }

        lock (Gate)
        {
            if (Listeners.TryGetValue(system, out _) || system.WhenTerminated.IsCompleted)
            {
                return;
            }

            var listener = ((ExtendedActorSystem)system).SystemActorOf(Props.Create(() => new Listener()), "actorpool-undelivered-jobs");
            system.EventStream.Subscribe(listener, typeof(AllDeadLetters));
            Listeners.Add(system, listener);
        }
    }

    private static string Reason(IActorRef recipient) =>
        $"The pool actor '{recipient.Path}' terminated before the job reached it.";

    private sealed class Listener : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is not AllDeadLetters letter)
            {
                return;
            }

            switch (letter.Message)
            {
                // A bare Submit is a submission that never reached a pool (pools hand Submits to workers only
                // inside a JobBatch); before JobEnvelope, since a Submit is one.
                case Submit submit:
                    if (letter.Sender is { } sender && !sender.IsNobody() && !Equals(sender, Context.System.DeadLetters))
                    {
                        sender.Tell(new JobRejected(submit.JobId, Reason(letter.Recipient)), letter.Recipient);
                    }

                    break;
                case JobEnvelope envelope:
                    envelope.TryCancel(Reason(letter.Recipient), null, letter.Recipient, evenIfRunning: false);
                    break;

                // A JobBatch is only ever sent to a worker, and its jobs stay in the supervisor's in-flight list until
                // the worker reports them: when a worker stops with batches unread (stopped from outside), the
                // supervisor gives them to another worker on its Terminated, or cancels them in its PostStop. Settling
                // them here too would race that requeue and cancel jobs that could still run.
            }
        }
    }
}
