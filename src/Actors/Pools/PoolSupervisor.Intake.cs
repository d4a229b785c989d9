using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Actorpool.Actors.Dispatch;

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
            admitted |= _admission.Take(envelope) is { } job && _admission.Wait(job);
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
        while (more && taken < budget && _admission.Count == 0 && _workers.Pick(-1) is { } worker)
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
                if (_admission.Take(envelope) is not { } job)
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
                _admission.ReleasePermits(permits);
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
