using Actorpool.Actors.Jobs;
using Actorpool.Cluster.Protocol;
using Akka.Actor;

namespace Actorpool.Cluster.Front;

/// <summary>
/// A job submitted on this node, from submit to its one outcome. The front actor owns every field but the
/// settle flag: a caller's cancellation may race a result, so its settle flag decides once.
/// </summary>
internal abstract class PendingJob(Payload job, string? traceParent, TimeSpan? timeout, object original)
{
    private int _settled; // 0 until the one outcome is chosen (CAS)

    /// <summary>The front's number for the job; 0 until the front admits it.</summary>
    public long Sequence { get; set; }

    /// <summary>The job as written at submit, or unwritten until the front first sends it to another node (front actor only then).</summary>
    public Payload Job { get; set; } = job;

    /// <summary>The job message itself, handed as is to an agent on this node.</summary>
    public object Original { get; } = original;

    public string? TraceParent { get; } = traceParent;

    public TimeSpan? Timeout { get; } = timeout;

    /// <summary>The agent holding the job now; <c>null</c> while it waits here. Front actor only.</summary>
    public IActorRef? Node { get; set; }

    /// <summary>How many times the job was handed to a node (more than one after a node was lost). Front actor only.</summary>
    public int Dispatches { get; set; }

    /// <summary>True while the job holds one of the intake's backlog permits (a <c>RunAsync</c> job not yet taken by a node).</summary>
    public bool HoldsPermit { get; set; }

    public bool IsSettled => Volatile.Read(ref _settled) != 0;

    /// <summary>Delivers this outcome when no other was chosen; false when the job already had one.</summary>
    private static bool Settle<T>(PendingJob job, T value, Action<PendingJob, T> deliver)
    {
        if (Interlocked.Exchange(ref job._settled, 1) != 0)
        {
            return false;
        }

        deliver(job, value);
        return true;
    }

    public bool Complete(object? result) => Settle(this, result, static (job, value) => job.OnCompleted(value));

    public bool Fail(Exception cause) => Settle(this, cause, static (job, value) => job.OnFailed(value));

    public bool Reject(string reason) => Settle(this, reason, static (job, value) => job.OnRejected(value));

    public bool Cancel(string reason) => Settle(this, reason, static (job, value) => job.OnCancelled(value));

    protected abstract void OnCompleted(object? result);

    protected abstract void OnFailed(Exception cause);

    protected abstract void OnRejected(string reason);

    protected abstract void OnCancelled(string reason);
}

/// <summary>A job submitted with <c>RunAsync</c>: its outcome completes the caller's task.</summary>
internal sealed class TaskPendingJob<TResult>(Payload job, object original, string? traceParent, TimeSpan? timeout, CancellationToken cancellationToken)
    : PendingJob(job, traceParent, timeout, original)
{
    private readonly TaskCompletionSource<TResult> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Task => _outcome.Task;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The caller's token registration, disposed with the outcome.</summary>
    public CancellationTokenRegistration Registration { get; set; }

    protected override void OnCompleted(object? result)
    {
        Registration.Dispose();
        if (result is TResult typed)
        {
            _outcome.TrySetResult(typed);
        }
        else if (result is null && default(TResult) is null)
        {
            _outcome.TrySetResult(default!);
        }
        else
        {
            _outcome.TrySetException(new InvalidCastException($"The job's result is a {result?.GetType().FullName ?? "null"}, not a {typeof(TResult).FullName}."));
        }
    }

    protected override void OnFailed(Exception cause)
    {
        Registration.Dispose();
        _outcome.TrySetException(cause);
    }

    protected override void OnRejected(string reason)
    {
        Registration.Dispose();
        _outcome.TrySetException(new JobRejectedException(reason));
    }

    protected override void OnCancelled(string reason)
    {
        Registration.Dispose();
        _outcome.TrySetException(new JobCancelledException(reason));
    }
}

/// <summary>A job submitted by message (<c>Submit.Message</c>): its outcome is a message to the sender.</summary>
internal sealed class MessagePendingJob(long jobId, IActorRef replyTo, IActorRef front, Payload job, object original, string? traceParent)
    : PendingJob(job, traceParent, null, original)
{
    protected override void OnCompleted(object? result) => replyTo.Tell(new JobCompleted(jobId, result), front);

    protected override void OnFailed(Exception cause) => replyTo.Tell(new JobFailed(jobId, cause), front);

    protected override void OnRejected(string reason) => replyTo.Tell(new JobRejected(jobId, reason), front);

    protected override void OnCancelled(string reason) => replyTo.Tell(new JobCancelled(jobId, reason), front);
}
