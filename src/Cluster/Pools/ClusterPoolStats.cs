namespace Actorpool.Cluster.Pools;

/// <summary>
/// A cluster pool seen from one node: what this node submitted and what became of it, and what each worker node
/// reports of its own pool. <c>Submitted = Completed + Failed + Rejected + Cancelled + Pending</c>.
/// </summary>
public sealed record ClusterPoolStats
{
    /// <summary>The address of the node these figures come from.</summary>
    public required string Node { get; init; }

    /// <summary>Jobs submitted on this node.</summary>
    public long Submitted { get; init; }

    /// <summary>Of those, jobs that returned a result.</summary>
    public long Completed { get; init; }

    /// <summary>Jobs that failed (on a worker, or with <see cref="NodeLostException"/>).</summary>
    public long Failed { get; init; }

    /// <summary>Jobs refused at submit (unserializable, backlog full, pool stopping).</summary>
    public long Rejected { get; init; }

    /// <summary>Jobs cancelled (by their caller, or by this node's stop).</summary>
    public long Cancelled { get; init; }

    /// <summary>Jobs without an outcome yet: waiting here or in flight to a node.</summary>
    public long Pending { get; init; }

    /// <summary>Jobs sent again to another node after the node holding them was lost (each may have run twice).</summary>
    public long Redispatched { get; init; }

    /// <summary>Results that arrived for a job that already had its outcome (a second execution), ignored.</summary>
    public long Duplicates { get; init; }

    /// <summary>Worker nodes lost while holding jobs of this node.</summary>
    public long NodesLost { get; init; }

    /// <summary>The worker nodes this node knows, with their own figures.</summary>
    public IReadOnlyList<ClusterNodeStats> Nodes { get; init; } = [];
}

/// <summary>One worker node of a cluster pool.</summary>
public sealed record ClusterNodeStats
{
    /// <summary>The node's address.</summary>
    public required string Node { get; init; }

    /// <summary>Jobs of the asking node in flight to this node now.</summary>
    public int InFlight { get; init; }

    /// <summary>Jobs of the asking node this node finished (any outcome).</summary>
    public long Done { get; init; }

    /// <summary>The node's workers now; -1 when the node did not answer in time.</summary>
    public int Workers { get; init; }

    /// <summary>Jobs the node ran for all submitters (its local pool's completed count); -1 when it did not answer.</summary>
    public long Executed { get; init; }

    /// <summary>Jobs that failed on the node for all submitters; -1 when it did not answer.</summary>
    public long FailedThere { get; init; }

    /// <summary>True while the node leaves the cluster (it takes no new jobs).</summary>
    public bool Leaving { get; init; }
}
