using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Cluster.Front;

// Messages the front receives from its own node only (never serialized).

/// <summary>A caller no longer wants its job.</summary>
internal sealed record CancelPending(PendingJob Job) : INoSerializationVerificationNeeded;

/// <summary>Hand the waiting jobs to nodes with credit (sent to self, so one dispatch serves a burst).</summary>
internal sealed class DispatchNow : INoSerializationVerificationNeeded
{
    public static DispatchNow Instance { get; } = new();

    private DispatchNow()
    {
    }
}

/// <summary>Stop this node's submitter: drain (run what was accepted) or not (cancel what no node took yet).</summary>
internal sealed record StopFront(bool Drain, TimeSpan? Deadline, TaskCompletionSource<PoolStopReport> Reply) : INoSerializationVerificationNeeded;

/// <summary>The stop deadline passed: cancel what is left.</summary>
internal sealed class StopDeadlinePassed : INoSerializationVerificationNeeded
{
    public static StopDeadlinePassed Instance { get; } = new();

    private StopDeadlinePassed()
    {
    }
}

/// <summary>Asks the front for its view of the worker nodes.</summary>
internal sealed record GetFrontView(TaskCompletionSource<FrontView> Reply) : INoSerializationVerificationNeeded;

/// <summary>The front's view: per worker node, what it holds and did for this node.</summary>
internal sealed record FrontView(IReadOnlyList<AgentView> Agents);

/// <summary>One worker node as the front sees it.</summary>
internal sealed record AgentView(IActorRef Agent, string Node, int InFlight, long Done, bool Leaving);
