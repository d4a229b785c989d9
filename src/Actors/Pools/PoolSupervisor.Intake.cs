using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Jobs;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>The supervisor's intake: jobs taken in bulk from its mailbox, handed straight to workers or admitted to the backlog.</summary>
internal sealed partial class PoolSupervisor<TState>
{
    /// <summary>
    /// Takes up to <paramref name="budget"/> jobs from the mailbox's intake, in order: straight to workers with free
    /// credit while nothing waits in the backlog, the rest into the backlog; then dispatches. With jobs left it
    /// queues another marker behind the messages already waiting (worker reports among them), so a flood of
    /// submits never delays the reports that free worker credit.
    /// </summary>
    private void TakeIntake(int budget)
    {
        var intake = _intake!;
        intake.BeginDrain();
        var taken = _stop.Running && _options.Scale is null ? HandOut(intake, budget) : 0;
        var admitted = false;
        for (; taken < budget && intake.TryTake(out var envelope); taken++)
        {
            admitted |= TakeJob(envelope) is { } job && Wait(job);
        }

        if (intake.NeedsMarker())
        {
            Self.Tell(JobsArrived.Instance, Self);
        }

        if (admitted)
        {
            Dispatch();
        }
        else
        {
            UpdateGauges();
        }
    }

    /// <summary>
    /// While the backlog is empty, hands intake jobs (at most <paramref name="budget"/>) straight to the ready
    /// workers with free credit, in batches and in order, as <see cref="Dispatch"/> would: a job that never waits
    /// takes no backlog permit (a Task-facade job gives back the one its caller took). Returns the jobs taken.
    /// </summary>
    private int HandOut(PoolMessageQueue intake, int budget)
    {
        var taken = 0;
        var more = true;
        while (more && taken < budget && _backlog.Count == 0 && _workers.Pick(-1) is { } worker)
        {
            var n = Math.Min(_options.Prefetch - worker.InFlight.Count, _batch);
            var batch = worker.InFlight.Rent(_batch);
            var jobs = batch.Jobs;
            var count = 0;
            var permits = 0;
            while (count < n && taken < budget)
            {
                if (!intake.TryTake(out var envelope))
                {
                    more = false;
                    break;
                }

                taken++;
                if (TakeJob(envelope) is not { } job)
                {
                    continue; // refused: the pool stopped meanwhile (a job cannot be refused otherwise here)
                }

                if (job.HoldsPermit)
                {
                    job.HoldsPermit = false;
                    permits++;
                }

                if (!job.IsFinished)
                {
                    Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(jobs), count++) = job;
                }
            }

            if (permits > 0)
            {
                _shared.Gate.Release(permits);
            }

            if (count == 0)
            {
                worker.InFlight.Return(batch);
                continue;
            }

            batch.Count = count;
            worker.InFlight.Add(batch);
            worker.Actor.Tell(batch, Self);
        }

        return taken;
    }

    /// <summary>
    /// The job of an intake entry: accepted already on the sender's thread (counted, its Submit claimed), or a
    /// Submit that arrived before the intake knew the counters, accepted here; null (the job refused) when the
    /// pool no longer runs.
    /// </summary>
    private JobEnvelope? TakeJob(object entry) =>
        entry is RawSubmit raw ? Accept(raw.Submit, raw.Sender) : Accept((JobEnvelope)entry);

    /// <summary>Counts a submitted job and claims its Submit (or wraps it); null (the job refused) when the pool no longer runs.</summary>
    private JobEnvelope? Accept(Submit submit, IActorRef? sender)
    {
        _counters.AddSubmitted();
        var replyTo = sender.IsNobody() ? null : sender;
        JobEnvelope job = submit.TryClaim(replyTo, _counters) ? submit : new MessageJob(submit, replyTo, _counters);
        return Accept(job);
    }

    /// <summary>The job, or null (the job refused, its backlog permit given back) when the pool no longer runs.</summary>
    private JobEnvelope? Accept(JobEnvelope job)
    {
        if (_stop.Running)
        {
            return job;
        }

        ReleasePermit(job);
        Refuse(job);
        return null;
    }

    /// <summary>Counts and wraps a submitted job and admits it to the backlog; false when it was refused.</summary>
    private bool OnSubmit(Submit submit, IActorRef? sender) => Accept(submit, sender) is { } job && Wait(job);

    /// <summary>Puts an accepted job in the backlog, taking a backlog permit unless its caller took one; false (the job rejected) when the backlog is full.</summary>
    private bool Wait(JobEnvelope job)
    {
        if (job.HoldsPermit)
        {
            return Admit(job);
        }

        if (!_shared.Gate.TryTake())
        {
            job.TryReject($"Pool '{_shared.Name}' backlog is full ({_shared.Backlog} jobs waiting).", Self);
            return false;
        }

        job.HoldsPermit = true;
        return Admit(job);
    }

    /// <summary>Appends an accepted job to the backlog; false (the job refused) when the pool no longer runs.</summary>
    private bool Admit(JobEnvelope job)
    {
        if (!_stop.Running)
        {
            ReleasePermit(job);
            Refuse(job);
            return false;
        }

        _backlog.AddLast(job);
        return true;
    }

    /// <summary>Dispatches after the messages already in the mailbox: a burst leaves in batches, a lone job one hop later.</summary>
    private void ScheduleDispatch()
    {
        if (!_dispatchPending)
        {
            _dispatchPending = true;
            Self.Tell(PoolTick.Dispatch, Self);
        }
    }
}
