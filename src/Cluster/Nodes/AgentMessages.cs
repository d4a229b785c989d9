using Actorpool.Cluster.Protocol;
using Akka.Actor;

namespace Actorpool.Cluster.Nodes;

// Messages an agent sends itself (never serialized).

/// <summary>A job of <see cref="Front"/> ended on this node's pool.</summary>
internal sealed record JobDone(IActorRef Front, ResultItem Result) : INoSerializationVerificationNeeded;

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
/// Outcomes of ended jobs on their way to the agent: job continuations enqueue and send one <see cref="FlushResults"/>
/// per burst; the agent re-arms, then drains. One mailbox message per burst instead of one per job.
/// </summary>
internal sealed class DoneQueue(IActorRef agent)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<JobDone> _queue = new();
    private int _signalled; // 1 while a FlushResults is on its way; reset by the agent before it drains

    public void Post(JobDone done)
    {
        _queue.Enqueue(done);
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            agent.Tell(FlushResults.Instance);
        }
    }

    public void Rearm() => Volatile.Write(ref _signalled, 0);

    public bool TryTake(out JobDone done) => _queue.TryDequeue(out done!);
}
