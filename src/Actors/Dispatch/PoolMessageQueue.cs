using System.Collections.Concurrent;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// The supervisor's message queue. Ordinary messages queue as in Akka's unbounded mailbox. A job
/// (<see cref="Submit"/> or <see cref="JobEnvelope"/>) goes into the intake instead, on the sender's thread, and
/// the queue holds one <see cref="JobsArrived"/> marker for the whole intake: the supervisor takes the jobs in
/// bulk when it reaches the marker, instead of one actor invocation per job.
/// </summary>
/// <remarks>
/// Ordering: a sender's job is in the intake before its next message is in the queue, and the marker that covers
/// it is either already queued (so it is ahead of that message) or sent by this sender now; the supervisor clears
/// the marker flag before it drains. So a job is taken no later than any message its sender sent after it, and
/// jobs are taken in the order they were enqueued. Once the supervisor attached its counters, a Submit is
/// accepted (counted, claimed or wrapped) here on its sender's thread. Nothing is lost at termination: the
/// supervisor's PostStop refuses what the intake holds, <see cref="CleanUp"/> then closes it and settles what came
/// after (an accepted Submit is rejected and counted here; others go to dead letters, where
/// <see cref="UndeliveredJobs"/> answers them), and a sender that enqueued concurrently with the close settles what
/// it finds the same way (each entry is dequeued exactly once).
/// </remarks>
internal sealed class PoolMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    /// <summary>The reusable guarded run of this mailbox on the work-stealing dispatcher (see <see cref="StarvationGuard"/>).</summary>
    public GuardedRun? Guard { get; set; }

    private readonly ConcurrentQueue<Envelope> _queue = new();

    // Accepted jobs (JobEnvelope), or a RawSubmit that arrived before the supervisor attached its counters.
    private readonly ConcurrentQueue<object> _intake = new();

    // The pool's counters, attached by the supervisor when it is built: from then on a Submit is accepted on its
    // sender's thread (counted, claimed or wrapped), which takes that work off the supervisor.
    private volatile PoolCounters? _counters;

    // 1 while a JobsArrived marker is queued or being handled and the intake may hold jobs it covers: set by
    // the sender whose job found it 0 (that sender queues the marker), cleared by the supervisor before draining.
    private int _signalled;

    // Set once by CleanUp (the owner terminated), before it drains the intake: later jobs are settled by their
    // senders. Written with a full fence (Interlocked) and read after the sender's enqueue (whose tail CAS is a
    // full fence): either CleanUp's drain sees the job or the sender sees the dead letters.
    private IMessageQueue? _deadLetters;
    private IActorRef? _owner;

    /// <summary>Test-only: a sender decides whether to queue a marker before its job is in the intake (a lost wake-up bug).</summary>
    internal static bool PlantedBugSignalBeforeEnqueue;

    public bool HasMessages => !_queue.IsEmpty;

    public int Count => _queue.Count;

    /// <summary>Whether Submits are accepted on their senders' threads (the supervisor attached its counters).</summary>
    public bool Accepts => _counters is not null;

    /// <summary>Called by the supervisor when it is built (again after a restart: the same counters).</summary>
    public void Attach(PoolCounters counters) => _counters = counters;

    /// <summary>Jobs waiting in the intake (approximate while senders run).</summary>
    public int IntakeCount => _intake.Count;

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        if (envelope.Message is not (Submit or JobEnvelope))
        {
            _queue.Enqueue(envelope);
        }
        else if (AddJob(receiver, envelope))
        {
            _queue.Enqueue(new Envelope(JobsArrived.Instance, ActorRefs.NoSender));
        }
    }

    /// <summary>
    /// Puts a job into the intake on the sender's thread; true when the caller must queue a
    /// <see cref="JobsArrived"/> marker (and get the mailbox scheduled): no marker covers the intake yet.
    /// </summary>
    public bool AddJob(IActorRef receiver, Envelope envelope)
    {
        object item = envelope.Message;
        if (item is Submit submit)
        {
            if (_counters is { } counters)
            {
                item = submit.ClaimFor(envelope.Sender.IsNobody() ? null : envelope.Sender, counters);
            }
            else
            {
                item = new RawSubmit(submit, envelope.Sender);
            }
        }

        var signalledEarly = PlantedBugSignalBeforeEnqueue && TrySignal();
        _intake.Enqueue(item);
        if (Volatile.Read(ref _deadLetters) is { } deadLetters)
        {
            MoveIntakeTo(deadLetters, _owner ?? receiver);
            return false;
        }

        // Pairs with BeginDrain (Dekker): the intake enqueue reserves its slot with an interlocked CAS on the
        // queue's tail (a full fence) before this read, and the supervisor's exchange comes before it looks at the
        // tail. So either this read sees the supervisor's 0 (and queues a marker), or the supervisor sees the job
        // (ConcurrentQueue's dequeue waits for a reserved slot to be written). The plain read spares the sender
        // a write per job while a marker is pending.
        return PlantedBugSignalBeforeEnqueue ? signalledEarly : TrySignal();
    }

    public bool TryDequeue(out Envelope envelope) => _queue.TryDequeue(out envelope);

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        _owner = owner;
        Interlocked.Exchange(ref _deadLetters, deadletters);
        while (_queue.TryDequeue(out var envelope))
        {
            if (envelope.Message is not JobsArrived)
            {
                deadletters.Enqueue(owner, envelope);
            }
        }

        MoveIntakeTo(deadletters, owner);
    }

    /// <summary>Called by the supervisor when it handles a <see cref="JobsArrived"/>, before it takes jobs.</summary>
    public void BeginDrain() => Interlocked.Exchange(ref _signalled, 0);

    /// <summary>Takes the oldest job in the intake (supervisor only): an accepted <see cref="JobEnvelope"/> or a <see cref="RawSubmit"/>.</summary>
    public bool TryTake(out object job) => _intake.TryDequeue(out job!);

    /// <summary>
    /// Called by the supervisor when it stopped draining with jobs left: it gets another marker unless a sender
    /// queued one since <see cref="BeginDrain"/>.
    /// </summary>
    public bool NeedsMarker() => !_intake.IsEmpty && Interlocked.Exchange(ref _signalled, 1) == 0;

    private bool TrySignal() => Volatile.Read(ref _signalled) == 0 && Interlocked.Exchange(ref _signalled, 1) == 0;

    private void MoveIntakeTo(IMessageQueue deadLetters, IActorRef owner)
    {
        while (_intake.TryDequeue(out var item))
        {
            switch (item)
            {
                case RawSubmit raw:
                    deadLetters.Enqueue(owner, new Envelope(raw.Submit, raw.Sender)); // answered as never arrived
                    break;
                case Submit or MessageJob:
                    // Accepted and counted on its sender's thread, so settled here (dead letters would not count it).
                    ((JobEnvelope)item).TryReject($"The pool actor '{owner.Path}' terminated before the job reached it.", owner);
                    break;
                default:
                    deadLetters.Enqueue(owner, new Envelope(item, ActorRefs.NoSender)); // a Task-facade job: cancelled there
                    break;
            }
        }
    }
}

/// <summary>The supervisor's intake holds jobs: take them (queued by <see cref="PoolMessageQueue"/>, at most one at a time).</summary>
internal sealed class JobsArrived : Akka.Actor.INoSerializationVerificationNeeded
{
    private JobsArrived()
    {
    }

    public static JobsArrived Instance { get; } = new();
}

/// <summary>A Submit that reached the intake before the supervisor attached its counters: the supervisor accepts it.</summary>
internal sealed record RawSubmit(Submit Submit, IActorRef Sender);
