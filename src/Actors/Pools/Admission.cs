using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>
/// A pool's way in: takes a job from the intake (counting a message-submitted job, claiming its Submit), puts it in
/// the backlog with a permit of the <see cref="BacklogGate"/> (rejecting it when the backlog is full), gives the
/// permits back when jobs leave, and refuses what a pool no longer running cannot take. Plain single-threaded state
/// owned by the pool actor; the jobs it settles are told that the pool (<paramref name="pool"/>) settled them.
/// </summary>
internal sealed class Admission(PoolShared shared, Shutdown stop, IActorRef pool)
{
    private readonly JobQueue _backlog = new();
    private readonly PoolCounters _counters = shared.Counters;

    /// <summary>Jobs waiting in the backlog.</summary>
    public int Count => _backlog.Count;

    public JobEnvelope PeekFirst() => _backlog.PeekFirst();

    public JobEnvelope RemoveFirst() => _backlog.RemoveFirst();

    /// <summary>
    /// The job of an intake entry: accepted already on the sender's thread (counted, its Submit claimed), or a Submit
    /// that arrived before the intake knew the counters, accepted here; null (the job refused) when the pool no longer runs.
    /// </summary>
    public JobEnvelope? Take(object entry) =>
        entry is RawSubmit raw ? Accept(raw.Submit, raw.Sender) : Accept((JobEnvelope)entry);

    /// <summary>Claims a Submit as this pool's job (counting it submitted); null (the job refused) when the pool no longer runs.</summary>
    public JobEnvelope? Accept(Submit submit, IActorRef? sender) => Accept(submit.ClaimFor(sender.IsNobody() ? null : sender, _counters));

    /// <summary>
    /// Puts an accepted job in the backlog, taking a permit unless its caller took one; false when the job was
    /// rejected (the backlog is full) or refused (the pool no longer runs).
    /// </summary>
    public bool Wait(JobEnvelope job)
    {
        if (!job.HoldsPermit)
        {
            if (!shared.Gate.TryTake())
            {
                job.TryReject($"Pool '{shared.Name}' backlog is full ({shared.Backlog} jobs waiting).", pool);
                return false;
            }

            job.HoldsPermit = true;
        }

        if (!stop.Running)
        {
            Refuse(job);
            return false;
        }

        _backlog.AddLast(job);
        return true;
    }

    /// <summary>Puts a job a worker gave back at the front of the backlog, or cancels it when the pool no longer dispatches.</summary>
    public void Requeue(JobEnvelope job, string reason)
    {
        if (job.IsFinished)
        {
            return;
        }

        if (stop.Dispatching)
        {
            _backlog.AddFirst(job);
        }
        else
        {
            job.TryCancel(reason, stop.KillCause, pool, evenIfRunning: false);
        }
    }

    /// <summary>Gives back the job's permit, if it still holds one.</summary>
    public void ReleasePermit(JobEnvelope job)
    {
        if (job.HoldsPermit)
        {
            job.HoldsPermit = false;
            shared.Gate.Release();
        }
    }

    /// <summary>Gives back <paramref name="permits"/> permits at once (one interlocked add for a batch of jobs).</summary>
    public void ReleasePermits(int permits) => shared.Gate.Release(permits);

    /// <summary>
    /// Settles every job in the backlog, giving its permit back: failed with <paramref name="failure"/> as the cause
    /// when given, else cancelled (naming the kill cause, if any).
    /// </summary>
    public void SettleAll(string reason, Exception? failure = null)
    {
        while (_backlog.Count > 0)
        {
            var job = _backlog.RemoveFirst();
            ReleasePermit(job);
            if (failure is not null)
            {
                job.TryFail(new InvalidOperationException(reason, failure), pool);
            }
            else
            {
                job.TryCancel(reason, stop.KillCause, pool, evenIfRunning: false);
            }
        }
    }

    /// <summary>The job, or null (the job refused, its permit given back) when the pool no longer runs.</summary>
    private JobEnvelope? Accept(JobEnvelope job)
    {
        if (stop.Running)
        {
            return job;
        }

        Refuse(job);
        return null;
    }

    /// <summary>
    /// Settles a job that reached a pool no longer running, giving its permit back: a kill cancels it naming the
    /// cause (it was sent before the failure, whose notice overtook it in the mailbox); a stopping pool rejects it.
    /// </summary>
    private void Refuse(JobEnvelope job)
    {
        ReleasePermit(job);
        if (stop.Phase == PoolPhase.Killed && stop.KillCause is { } cause)
        {
            job.TryCancel(stop.RefusalReason(), cause, pool, evenIfRunning: false);
        }
        else
        {
            job.TryReject(stop.RefusalReason(), pool);
        }
    }
}
