using System.Collections.Concurrent;
using Akka.Actor;

namespace Actorpool.Cluster.Front;

/// <summary>
/// The hand-off from callers to the front actor: callers enqueue and send one wake-up per batch; the front drains.
/// Once the front stops (<see cref="Close"/>), whoever dequeues a job rejects it, so a job enqueued in the instant of
/// the stop still gets its outcome. Also holds the permits that bound the backlog for <c>RunAsync</c> callers.
/// </summary>
internal sealed class FrontIntake(int backlog, FrontCounters counters, string pool)
{
    private readonly ConcurrentQueue<PendingJob> _queue = new();
    private int _wakeSent;   // 1 while a Wake is on its way to the front; reset by the front before it drains
    private volatile bool _closed; // set once, by the front's PostStop
    private readonly CancellationTokenSource _stopped = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Backlog places for <c>RunAsync</c> callers: taken before a job is enqueued, given back when a node takes it or it ends.</summary>
    public SemaphoreSlim Permits { get; } = new(backlog, backlog);

    public FrontCounters Counters { get; } = counters;

    /// <summary>The front actor; set once, right after it is created and before any caller can post.</summary>
    public IActorRef Front { get; set; } = ActorRefs.Nobody;

    public bool IsClosed => _closed;

    /// <summary>Fires when the front stops: callers waiting for a backlog place give up then.</summary>
    public CancellationToken Stopped => _stopped.Token;

    /// <summary>Completes when the front has stopped.</summary>
    public Task Completion => _completion.Task;

    public void Post(PendingJob job)
    {
        _queue.Enqueue(job);
        if (_closed)
        {
            RejectQueued();
        }
        else if (Interlocked.Exchange(ref _wakeSent, 1) == 0)
        {
            Front.Tell(Wake.Instance);
        }
    }

    /// <summary>The front's side: re-arms the wake-up, then takes everything queued.</summary>
    public bool TryTake(out PendingJob job) => _queue.TryDequeue(out job!);

    public void Rearm() => Volatile.Write(ref _wakeSent, 0);

    /// <summary>Gives back the job's backlog permit, if it holds one (only the party handling the job calls this).</summary>
    public void Release(PendingJob job)
    {
        if (job.HoldsPermit)
        {
            job.HoldsPermit = false;
            Permits.Release();
        }
    }

    public void Close()
    {
        _closed = true;
        RejectQueued();
        _stopped.Cancel();
        _completion.TrySetResult();
    }

    private void RejectQueued()
    {
        while (_queue.TryDequeue(out var job))
        {
            Release(job);
            if (job.Reject($"Cluster pool '{pool}' stopped on this node before it took the job."))
            {
                Counters.CountRejected();
            }
        }
    }
}

/// <summary>Jobs wait in the intake queue (a local message: never serialized).</summary>
internal sealed class Wake : INoSerializationVerificationNeeded
{
    public static Wake Instance { get; } = new();

    private Wake()
    {
    }
}
