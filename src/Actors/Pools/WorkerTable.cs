using Actorpool.Actors.Workers;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>
/// The pool's workers, by index and by actor: which are ready, which retire, how much credit each has left, and
/// which one a job goes to. Plain single-threaded state owned by the pool actor (no Akka calls here: spawning and
/// telling stay with the actor), so it is tested without an ActorSystem.
/// </summary>
internal sealed class WorkerTable(int prefetch)
{
    private readonly List<WorkerEntry?> _byIndex = [];                // a hole where no worker has that index now
    private readonly Dictionary<IActorRef, WorkerEntry> _byActor = []; // every worker not yet terminated, retiring too

    /// <summary>Workers not yet terminated, retiring ones included.</summary>
    public int Count => _byActor.Count;

    /// <summary>Workers not yet terminated, retiring ones included, in no particular order.</summary>
    public IEnumerable<WorkerEntry> All => _byActor.Values;

    /// <summary>Workers not told to retire: the pool's current size.</summary>
    public int Live
    {
        get
        {
            var live = 0;
            foreach (var worker in _byActor.Values)
            {
                live += worker.Retiring ? 0 : 1;
            }

            return live;
        }
    }

    /// <summary>Every worker has reported all its jobs.</summary>
    public bool AllIdle => _byActor.Values.All(s => s.InFlight.Count == 0);

    /// <summary>Registers a worker just spawned, at its link's index.</summary>
    public WorkerEntry Add(WorkerLink link, IActorRef actor)
    {
        var worker = new WorkerEntry(link, actor);
        while (_byIndex.Count <= link.Index)
        {
            _byIndex.Add(null);
        }

        _byIndex[link.Index] = worker;
        _byActor[actor] = worker;
        return worker;
    }

    /// <summary>Forgets a worker that terminated; false when it was not (or no longer) in the table.</summary>
    public bool Remove(IActorRef actor, out WorkerEntry worker)
    {
        if (!_byActor.Remove(actor, out worker!))
        {
            return false;
        }

        _byIndex[worker.Index] = null;
        return true;
    }

    public bool TryGet(IActorRef actor, out WorkerEntry worker) => _byActor.TryGetValue(actor, out worker!);

    /// <summary>The worker a report came from, or null when that incarnation is gone (a respawned index has a new link).</summary>
    public WorkerEntry? Of(WorkerLink link) =>
        link.Index < _byIndex.Count && _byIndex[link.Index] is { } worker && ReferenceEquals(worker.Link, link) ? worker : null;

    /// <summary>The lowest indexes with no worker, as many as <paramref name="count"/>: where new workers go.</summary>
    public IEnumerable<int> FreeIndexes(int count)
    {
        for (var index = 0; count > 0; index++)
        {
            if (index >= _byIndex.Count || _byIndex[index] is null)
            {
                count--;
                yield return index;
            }
        }
    }

    /// <summary>
    /// The ready worker with the most free credit (work pulling), preferring one other than <paramref name="avoid"/>
    /// (a retried job's last worker); null when every worker is busy up to its prefetch, starting or retiring.
    /// </summary>
    public WorkerEntry? Pick(int avoid)
    {
        WorkerEntry? best = null;
        WorkerEntry? avoided = null;
        foreach (var worker in _byIndex)
        {
            if (worker is null || !worker.Ready || worker.Retiring || worker.Inactive || worker.InFlight.Count >= prefetch)
            {
                continue;
            }

            if (worker.Index == avoid)
            {
                avoided = worker;
            }
            else if (best is null || worker.InFlight.Count < best.InFlight.Count)
            {
                best = worker;
            }
        }

        return best ?? avoided;
    }

    /// <summary>Live workers, how many of them failed their last Init and have not built a state since, and how many take jobs.</summary>
    public (int Live, int InitFailing, int Active) Health()
    {
        int live = 0, failing = 0, active = 0;
        foreach (var worker in _byActor.Values)
        {
            if (!worker.Retiring)
            {
                live++;
                failing += worker.InitFailed && !worker.Ready ? 1 : 0;
                active += worker.Inactive ? 0 : 1;
            }
        }

        return (live, failing, active);
    }

    /// <summary>Live workers in index order.</summary>
    public IEnumerable<WorkerEntry> LiveByIndex()
    {
        foreach (var worker in _byIndex)
        {
            if (worker is { Retiring: false })
            {
                yield return worker;
            }
        }
    }

    /// <summary>Busy (holding jobs), idle (ready, none held) and live workers, for the gauges.</summary>
    public (int Busy, int Idle, int Workers) Load()
    {
        int busy = 0, idle = 0, workers = 0;
        foreach (var worker in _byActor.Values)
        {
            if (worker.Retiring)
            {
                continue;
            }

            workers++;
            if (worker.InFlight.Count > 0)
            {
                busy++;
            }
            else if (worker.Ready)
            {
                idle++;
            }
        }

        return (busy, idle, workers);
    }
}
