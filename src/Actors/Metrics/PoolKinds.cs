namespace Actorpool.Actors.Metrics;

/// <summary>The kinds of pool Actorpool ships, as <see cref="Pools.IManagedPool.Kind"/> and the <c>pool.kind</c> metric tag name them.</summary>
public static class PoolKinds
{
    /// <summary>The name of the tag that carries a measurement's pool kind (beside the <c>pool</c> tag with its name).</summary>
    public const string TagName = "pool.kind";

    /// <summary>An actor pool: a supervisor with worker actors and a job backlog (<c>SpawnPool</c>).</summary>
    public const string Actor = "actor";

    /// <summary>A dynamic pool: worker threads that follow a scale function (<c>DynamicPool</c>).</summary>
    public const string Dynamic = "dynamic";

    /// <summary>An up/down pool: long-lived workers with down messages and a bounded up-queue (<c>UpDownPool</c>).</summary>
    public const string UpDown = "updown";
}
