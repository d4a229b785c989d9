using System.Diagnostics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Workers;

namespace Actorpool.Actors.Pools;

/// <summary>
/// The batches handed to one worker and not yet reported done, in the order it runs them, and the batches free
/// for reuse (supervisor only). A worker reports whole batches, so reports remove whole batches.
/// </summary>
internal sealed class InFlightJobs(WorkerLink link)
{
    // Reused batches kept per worker: enough for a full prefetch in flight plus one being filled.
    private const int MaxFree = 4;

    private readonly Queue<JobBatch> _batches = new();
    private readonly Stack<JobBatch> _free = new();

    /// <summary>Jobs handed over and not reported.</summary>
    public int Count { get; private set; }

    /// <summary>A batch to fill for this worker: a reused one, or a new one of <paramref name="capacity"/>.</summary>
    public JobBatch Rent(int capacity) => _free.Count > 0 && _free.Peek().Jobs.Length >= capacity ? _free.Pop() : new JobBatch(link, capacity);

    /// <summary>Gives back a rented batch that was not sent.</summary>
    public void Return(JobBatch batch)
    {
        if (_free.Count < MaxFree)
        {
            _free.Push(batch);
        }
    }

    public void Add(JobBatch batch)
    {
        _batches.Enqueue(batch);
        Count += batch.Count;
    }

    /// <summary>Forgets the next <paramref name="count"/> jobs (whole batches); <paramref name="reusable"/> goes back to the free list.</summary>
    public void Remove(int count, JobBatch? reusable)
    {
        while (count > 0 && _batches.Count > 0)
        {
            var batch = _batches.Dequeue();
            Debug.Assert(batch.Count <= count, "A worker reports whole batches.");
            count -= batch.Count;
            Count -= batch.Count;
            if (ReferenceEquals(batch, reusable) && _free.Count < MaxFree)
            {
                Array.Clear(batch.Jobs, 0, batch.Count); // keep no finished job alive
                batch.Count = 0;
                batch.RunTicks = 0;
                _free.Push(batch);
            }
        }
    }

    /// <summary>Every job handed over and not reported, in order.</summary>
    public IEnumerable<JobEnvelope> Jobs()
    {
        foreach (var batch in _batches)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                yield return batch.Jobs[i];
            }
        }
    }

    /// <summary>Removes and returns every job not reported, in order (the worker terminated; its batches are not reused).</summary>
    public List<JobEnvelope> TakeAll()
    {
        var jobs = Jobs().ToList();
        _batches.Clear();
        Count = 0;
        return jobs;
    }
}
