using Actorpool.Actors.Metrics;

namespace Actorpool.Cluster.Front;

/// <summary>
/// What one node's submitter counted, readable from any thread: written by the front actor, and by callers for jobs
/// refused before they reach it. Each count also goes to the Actorpool meter, tagged with the pool and the node.
/// </summary>
internal sealed class FrontCounters(string pool, string node)
{
    private readonly KeyValuePair<string, object?>[] _tags = [new("pool", pool), new("node", node)];
    private long _submitted;
    private long _completed;
    private long _failed;
    private long _rejected;
    private long _cancelled;
    private long _redispatched;
    private long _duplicates;
    private long _nodesLost;

    public long Submitted => Volatile.Read(ref _submitted);

    public long Completed => Volatile.Read(ref _completed);

    public long Failed => Volatile.Read(ref _failed);

    public long Rejected => Volatile.Read(ref _rejected);

    public long Cancelled => Volatile.Read(ref _cancelled);

    public long Redispatched => Volatile.Read(ref _redispatched);

    public long Duplicates => Volatile.Read(ref _duplicates);

    public long NodesLost => Volatile.Read(ref _nodesLost);

    public void CountSubmitted() => Count(ref _submitted, PoolInstruments.Default.Submitted);

    public void CountCompleted() => Count(ref _completed, PoolInstruments.Default.Completed);

    public void CountFailed() => Count(ref _failed, PoolInstruments.Default.Failed);

    public void CountRejected() => Count(ref _rejected, PoolInstruments.Default.Rejected);

    public void CountCancelled() => Count(ref _cancelled, PoolInstruments.Default.Cancelled);

    public void CountRedispatched() => Interlocked.Increment(ref _redispatched);

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    public void CountNodeLost() => Interlocked.Increment(ref _nodesLost);

    private void Count(ref long count, System.Diagnostics.Metrics.Counter<long> instrument)
    {
        Interlocked.Increment(ref count);
        instrument.Add(1, _tags);
    }
}
