namespace Actorpool.Cluster.Protocol;

// The messages a cluster pool's actors exchange across nodes; each crosses as its frame (ProtocolCodec). Refs never
// travel inside a message: the sender of Hello and Welcome is the ref each side keeps.

/// <summary>Marks the cluster pool protocol (sent as frames by <see cref="ProtocolSend"/>).</summary>
internal interface IProtocolMessage;

/// <summary>A worker node's agent asks a submitter to take its workers.</summary>
internal sealed record Hello(string Node) : IProtocolMessage;

/// <summary>The submitter took the agent: it watches the agent from now on and waits for credit.</summary>
internal sealed record Welcome(string Node) : IProtocolMessage;

/// <summary>The agent may take <see cref="Credit"/> more jobs from this submitter (added to what it granted before).</summary>
internal sealed record Grant(int Credit) : IProtocolMessage;

/// <summary>Jobs handed to an agent, each within the credit it granted.</summary>
internal sealed record Jobs(JobItem[] Items) : IProtocolMessage;

/// <summary>Outcomes of jobs an agent ran, with credit for as many new jobs (0 while it leaves).</summary>
internal sealed record Results(ResultItem[] Items, int Credit) : IProtocolMessage;

/// <summary>The submitter no longer wants these jobs (their callers cancelled, or the submitter stops): the agent cancels them.</summary>
internal sealed record CancelJobs(long[] Sequences) : IProtocolMessage;

/// <summary>The agent's node leaves the cluster: it takes no new jobs and finishes the ones it holds.</summary>
internal sealed record Leaving(string Node) : IProtocolMessage;

/// <summary>Asks an agent for its node's figures.</summary>
internal sealed record NodeStatsRequest : IProtocolMessage
{
    public static NodeStatsRequest Instance { get; } = new();
}

/// <summary>An agent's node figures: its workers now, and the jobs it ran and failed for every submitter.</summary>
internal sealed record NodeStatsReply(string Node, int Workers, long Executed, long Failed, bool Leaving) : IProtocolMessage;

/// <summary>A serialized object: the serializer that wrote it (an Akka serializer's id, or <see cref="PayloadCodec.JsonId"/>), its manifest and bytes.</summary>
internal readonly record struct Payload(int SerializerId, string Manifest, byte[] Bytes)
{
    /// <summary>False for <c>default</c>: a job admitted without being written yet (see <see cref="PayloadCodec.TryAdmit"/>).</summary>
    public bool IsWritten => Bytes is not null;
}

/// <summary>
/// One job in flight: the submitter's sequence number, the job message (serialized, or as the object itself when the
/// agent is on the submitting node: <see cref="Local"/>), the caller's trace parent and time limit.
/// </summary>
internal readonly record struct JobItem(long Sequence, Payload Job, string? TraceParent, TimeSpan? Timeout, object? Local = null);

/// <summary>How a job ended where it ran.</summary>
internal enum ResultKind : byte
{
    Completed = 1,
    Failed = 2,
    Cancelled = 3,

    /// <summary>The job never started there (the node's pool was stopping): the submitter sends it elsewhere, under either delivery.</summary>
    HandedBack = 4,

    /// <summary>The node's pool was killed by its panic policy while it held the job: treated as a lost node's job (re-dispatched or failed, by delivery).</summary>
    Lost = 5,
}

/// <summary>
/// One job's outcome: its result (Completed: serialized, or the object itself on the submitting node, with
/// <see cref="IsLocal"/>), or the failure's type, message and stack as text.
/// </summary>
internal readonly record struct ResultItem(long Sequence, ResultKind Kind, Payload Value, string? ErrorType, string? ErrorMessage, string? ErrorStack, object? Local = null, bool IsLocal = false);

/// <summary>
/// Jobs handed to the agent on the submitting node itself: the job objects, never serialized (they were serialized
/// once at submit, to refuse one that could not cross nodes). Never leaves the process.
/// </summary>
internal sealed record LocalJobs(JobItem[] Items) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Outcomes for the submitter on the agent's own node, results as objects; credit as in <see cref="Results"/>.</summary>
internal sealed record LocalResults(ResultItem[] Items, int Credit) : Akka.Actor.INoSerializationVerificationNeeded;
