using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Jobs;

/// <summary>
/// Where a <see cref="SinkJob{TState, TArg, TResult}"/> reports its one outcome, on whichever thread settles it (a
/// worker's, a timer's, the pool's or a canceller's): an implementation records it and returns at once.
/// </summary>
internal interface IJobSink<in TResult>
{
    /// <summary>The job's code returned <paramref name="result"/>.</summary>
    void Completed(long tag, TResult result);

    /// <summary>
    /// The job ended otherwise: its code threw <paramref name="error"/>, or it was cancelled
    /// (<see cref="JobCancelledException"/>), rejected (<see cref="JobRejectedException"/>) or cut off.
    /// </summary>
    void Failed(long tag, Exception error);
}

/// <summary>
/// A job for Actorpool's own libraries (the cluster agent runs every job a submitter sends it as one): asynchronous
/// code on an argument, whose outcome goes straight to a sink. It costs no task, completion source or continuation,
/// and no trip through the thread pool to learn its outcome. Its submitter cancels it through the job itself
/// (<see cref="JobEnvelope.TryCancel(string, Exception?, IActorRef, bool)"/>), so its code always gets a token of
/// its own, which fires then. Otherwise it runs and settles as any Task-facade job does.
/// </summary>
internal sealed class SinkJob<TState, TArg, TResult>(
    long id, Func<TState, TArg, CancellationToken, ValueTask<TResult>> work, TArg arg, IJobSink<TResult> sink, long tag,
    PoolCounters counters, JobLimits limits, TimeSpan? timeout)
    : TaskJob<TResult>(id, counters, limits, timeout)
{
    /// <summary>Nobody awaits the job: its sink has the outcome (a submission that waited for backlog space drops this).</summary>
    public override ValueTask<TResult> Outcome => default;

    private protected override bool TakesToken => true;

    private protected override bool OwnToken => true;

    internal override bool IsAsync(JobHandlers handlers) => true;

    internal override Task? Execute(object? state, JobHandlers handlers, IActorRef pool)
    {
        Begin();
        ValueTask<TResult> running;
        try
        {
            running = work((TState)state!, arg, Token);
        }
        catch
        {
            End();
            throw;
        }

        return Finish(running);
    }

    private protected override void SetResult(TResult result) => sink.Completed(tag, result);

    private protected override void SetException(Exception error) => sink.Failed(tag, error);

    private protected override void SetCanceled(CancellationToken token) => sink.Failed(tag, new OperationCanceledException(token));
}
