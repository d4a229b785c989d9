using Actorpool.Cluster.Protocol;
using Akka.Actor;

namespace Actorpool.Cluster.Nodes;

// Messages an agent sends itself (never serialized).

/// <summary>A job of <see cref="Front"/> ended on this node's pool.</summary>
internal sealed record JobDone(IActorRef Front, ResultItem Result) : INoSerializationVerificationNeeded;

/// <summary>Send the results gathered since the last flush (one message per submitter per burst).</summary>
internal sealed class FlushResults : INoSerializationVerificationNeeded
{
    public static FlushResults Instance { get; } = new();

    private FlushResults()
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
