using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Workers;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>
/// Gives jobs to workers: the ready worker with the most free credit gets the next jobs in submission order, in one
/// (reused) batch of at most half its credit (<see cref="WorkerTable.Credit"/>, which follows the measured job time),
/// so it always has its next batch queued while it reports the previous one and a slow job holds few behind it. Jobs
/// come from the backlog, or straight from the mailbox's intake while the backlog is empty. Plain single-threaded
/// state owned by the pool actor (<paramref name="pool"/>, the batches' sender).
/// </summary>
internal sealed class Handout(Admission admission, WorkerTable workers, IActorRef pool)
{
    /// <summary>Hands out the backlog's jobs while a worker has credit; jobs cancelled while they waited are dropped.</summary>
    public void FromBacklog()
    {
        while (admission.Count > 0)
        {
            var head = admission.PeekFirst();
            if (head.IsFinished)
            {
                admission.ReleasePermit(admission.RemoveFirst()); // cancelled by its caller while it waited
                continue;
            }

            if (workers.Pick(head.LastWorker) is not { } worker)
            {
                return;
            }

            var size = workers.BatchSize;
            var n = Math.Min(Math.Min(workers.Credit - worker.InFlight.Count, size), admission.Count);
            var batch = worker.InFlight.Rent(size);
            var taken = 0;
            var permits = 0;
            while (taken < n && admission.Count > 0)
            {
                Put(batch, ref taken, ref permits, admission.RemoveFirst());
            }

            Send(worker, batch, taken, permits);
        }
    }

    /// <summary>
    /// While the backlog is empty, hands at most <paramref name="budget"/> intake jobs straight to the ready workers
    /// with free credit, as <see cref="FromBacklog"/> would: a job that never waits takes no backlog permit (a
    /// Task-facade job gives back the one its caller took). Returns the intake entries taken.
    /// </summary>
    public int FromIntake(PoolMessageQueue intake, int budget)
    {
        var taken = 0;
        var more = true;
        while (more && taken < budget && admission.Count == 0 && workers.Pick(-1) is { } worker)
        {
            var size = workers.BatchSize;
            var n = Math.Min(workers.Credit - worker.InFlight.Count, size);
            var batch = worker.InFlight.Rent(size);
            var count = 0;
            var permits = 0;
            while (count < n && taken < budget)
            {
                if (!intake.TryTake(out var entry))
                {
                    more = false;
                    break;
                }

                taken++;
                if (admission.Take(entry) is { } job)
                {
                    Put(batch, ref count, ref permits, job);
                } // else refused: the pool stopped meanwhile (a job cannot be refused otherwise here)
            }

            Send(worker, batch, count, permits);
        }

        return taken;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(JobBatch batch, ref int count, ref int permits, JobEnvelope job)
    {
        if (job.HoldsPermit)
        {
            job.HoldsPermit = false;
            permits++;
        }

        if (!job.IsFinished)
        {
            // The array is exactly JobEnvelope[] (made by JobBatch): store without the covariance check.
            Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(batch.Jobs), count++) = job;
        }
    }

    /// <summary>
    /// Sends the filled batch (jobs always travel in a batch, a lone one too: a bare Submit in dead letters is a
    /// submission that never reached a pool, answered as such; see UndeliveredJobs), or keeps an empty one for reuse.
    /// </summary>
    private void Send(WorkerEntry worker, JobBatch batch, int count, int permits)
    {
        if (permits > 0)
        {
            admission.ReleasePermits(permits); // one interlocked add per batch rather than per job
        }

        if (count == 0)
        {
            worker.InFlight.Return(batch);
            return;
        }

        batch.Count = count;
        worker.InFlight.Add(batch);
        worker.Actor.Tell(batch, pool);
    }
}
