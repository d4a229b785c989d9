using Actorpool.Cluster.Protocol;
using Akka.Actor;

namespace Actorpool.Cluster.Nodes;

// Messages an agent sends itself (never serialized).

/// <summary>A job of <see cref="Front"/> ended on this node's pool (queued in the <see cref="DoneQueue"/>, never sent).</summary>
internal readonly record struct JobDone(IActorRef Front, ResultItem Result);

/// <summary>
/// Jobs ended: take their outcomes from the <see cref="DoneQueue"/> and send the results gathered (one message per
/// submitter per burst).
/// </summary>
internal sealed class FlushResults : INoSerializationVerificationNeeded
{
    public static FlushResults Instance { get; } = new();

    private FlushResults()
    {
    }
}

/// <summary>
/// Outcomes were held back for a batch (see <c>NodeAgent.Flush</c>) and the hold limit passed: send them all. Sent by a
/// timer, which may fire once after the agent stopped: no dead letter is logged for it.
/// </summary>
internal sealed class FlushHeld : INoSerializationVerificationNeeded, Akka.Event.IDeadLetterSuppression
{
    public static FlushHeld Instance { get; } = new();

    private FlushHeld()
    {
    }
}

/// <summary>Ask the members whose submitter has not answered yet again.</summary>
internal sealed class RegisterAgain : INoSerializationVerificationNeeded
{
    public static RegisterAgain Instance { get; } = new();

    private RegisterAgain()
    {
    }
}

/// <summary>This node leaves (or the pool stops here): take no new jobs; the reply completes when the held ones ended.</summary>
internal sealed record LeaveNode(TaskCompletionSource<bool> Reply) : INoSerializationVerificationNeeded;

/// <summary>The leave waited too long for the held jobs: cancel them.</summary>
internal sealed class LeaveDeadlinePassed : INoSerializationVerificationNeeded
{
    public static LeaveDeadlinePassed Instance { get; } = new();

    private LeaveDeadlinePassed()
    {
    }
}

/// <summary>
/// Outcomes of ended jobs on their way to the agent: job continuations enqueue, and the one whose outcome brings the
/// queue to the agent's wake-up count sends one <see cref="FlushResults"/>; the agent re-arms, then drains. One
/// mailbox message per burst (per batch while the agent holds outcomes back) instead of one per job.
/// </summary>
internal sealed class DoneQueue(IActorRef agent)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<JobDone> _queue = new();
    private int _signalled; // 1 while a FlushResults is on its way; reset by the agent before it drains
    private int _count;     // outcomes queued
    private int _wakeAt = 1; // outcomes queued that send a FlushResults (more than 1 while the agent holds a batch back)

    public void Post(JobDone done)
    {
        _queue.Enqueue(done);
        if (Interlocked.Increment(ref _count) >= Volatile.Read(ref _wakeAt))
        {
            Signal();
        }
    }

    public void Rearm() => Volatile.Write(ref _signalled, 0);

    public bool TryTake(out JobDone done)
    {
        if (!_queue.TryDequeue(out done!))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>
    /// The agent's side, after a drain: wake it once <paramref name="count"/> outcomes are queued (at least 1; more only
    /// while its hold timer runs, which bounds the wait). Outcomes already queued up to that count wake it now.
    /// </summary>
    public void WakeAt(int count)
    {
        Interlocked.Exchange(ref _wakeAt, Math.Max(1, count)); // a full fence: either this sees a racing Post's count, or that Post sees this count
        if (Volatile.Read(ref _count) >= Math.Max(1, count))
        {
            Signal();
        }
    }

    private void Signal()
    {
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            agent.Tell(FlushResults.Instance);
        }
    }
}
