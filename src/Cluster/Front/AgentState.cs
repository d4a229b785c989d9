namespace Actorpool.Cluster.Front;

/// <summary>A worker node's agent as one front tracks it (front actor only).</summary>
internal sealed class AgentState(string node)
{
    public string Node { get; } = node;

    /// <summary>Jobs the agent may still be sent (its grants minus what it was sent).</summary>
    public int Credit { get; set; }

    /// <summary>The credit it granted in all (<c>Grant</c> messages; what results return is not counted): its capacity.</summary>
    public int Granted { get; set; }

    /// <summary>Sequences of this front's jobs the agent holds.</summary>
    public HashSet<long> InFlight { get; } = [];

    /// <summary>Results it returned to this front.</summary>
    public long Done { get; set; }

    /// <summary>The node leaves: it gets no new jobs.</summary>
    public bool Leaving { get; set; }
}
