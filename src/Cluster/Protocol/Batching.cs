namespace Actorpool.Cluster.Protocol;

/// <summary>How many jobs (front) or results (agent) are worth one message while they stream.</summary>
internal static class Batching
{
    /// <summary>
    /// An eighth of a node's credit (<paramref name="capacity"/>), so tiny jobs that end one at a time cross in batches,
    /// never more than the credit minus one job per worker (so holding a batch back never idles one of
    /// <paramref name="workers"/>), and at least 1: with one credit per worker nothing is held. Front and agent each
    /// hold back fewer than this, together at most a quarter of the credit, within the bound from 2 credits per worker.
    /// </summary>
    public static int Minimum(int capacity, int workers) => Math.Max(1, Math.Min(capacity / 8, capacity - workers));
}
