using System.Diagnostics;
using Actorpool.Actors.Workers;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>
/// The pool's workers, by index and by actor: which are ready, which retire, how much credit each has left, which
/// one a job goes to, and whether the first ones have tried to start. Plain single-threaded state owned by the pool
/// actor (<paramref name="pool"/>, the sender of what it tells workers; spawning stays with the actor), so it is
/// tested without an ActorSystem.
/// </summary>
internal sealed class WorkerTable(int prefetch, IActorRef pool)
{
    private readonly List<WorkerEntry?> _byIndex = [];                // a hole where no worker has that index now
    private readonly Dictionary<IActorRef, WorkerEntry> _byActor = []; // every worker not yet terminated, retiring too

    // Indexes of the first workers that have not yet tried their Init once; null once all have.
    private HashSet<int>? _firstPending;

    // Credit follows the measured time per job (see ReportRun): this much work queued ahead of a worker is enough to
    // cover the round trip of its report, and no more, so slow jobs spread over the workers while tiny ones stream.
    private static readonly double AheadTicks = Stopwatch.Frequency / 1000.0; // 1 ms

    // Time per job of the latest reports (Stopwatch ticks; 0 = none yet): the credit follows the fastest of them, so a
    // batch that only looked slow (its thread preempted, a GC pause) does not shrink the credit, while a stream of
    // slow jobs does at its first report (all four entries start empty).
    private readonly double[] _recent = new double[4];
    private int _next;

    /// <summary>
    /// How many jobs one worker may hold (handed over, not reported): from 1, until the first report says how long
    /// jobs take, then about 1 ms of work, between 1 and the pool's prefetch.
    /// </summary>
    public int Credit { get; private set; } = 1;

    /// <summary>The most jobs handed to a worker in one batch: half its credit, so its next batch is queued while it reports.</summary>
    public int BatchSize => Math.Max(1, Credit / 2);

    /// <summary>The latest Init failure, given to jobs that no worker can run while every worker fails to start.</summary>
    public WorkerInitException? LastInitFailure { get; set; }

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
            if (worker is null || !worker.Ready || worker.Retiring || worker.Inactive || worker.InFlight.Count >= Credit)
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

    /// <summary>
    /// A worker ran <paramref name="jobs"/> jobs in <paramref name="ticks"/> (<see cref="Stopwatch"/> ticks, an async
    /// job's awaits included): the credit follows the fastest time per job of the latest four reports.
    /// </summary>
    public void ReportRun(int jobs, long ticks)
    {
        if (jobs <= 0)
        {
            return;
        }

        _recent[_next] = Math.Max(1.0, ticks / (double)jobs);
        _next = (_next + 1) % _recent.Length;
        var fastest = double.MaxValue;
        foreach (var perJob in _recent)
        {
            if (perJob > 0 && perJob < fastest)
            {
                fastest = perJob;
            }
        }

        Credit = (int)Math.Clamp(AheadTicks / fastest, 1, prefetch);
    }

    /// <summary>Starts waiting for the workers now in the table (the first ones) to try their Init once.</summary>
    public void AwaitFirstAttempts() => _firstPending = [.. _byActor.Values.Select(w => w.Index)];

    /// <summary>
    /// Worker <paramref name="index"/> has tried its Init once, or retired first (null: none, just check); true once,
    /// when that was the last of the first workers.
    /// </summary>
    public bool FirstAttempt(int? index)
    {
        if (_firstPending is not { } pending)
        {
            return false;
        }

        if (index is { } i)
        {
            pending.Remove(i);
        }

        if (pending.Count > 0)
        {
            return false;
        }

        _firstPending = null;
        return true;
    }

    /// <summary>Stops waiting for first attempts (the pool was killed).</summary>
    public void ForgetFirstAttempts() => _firstPending = null;

    /// <summary>
    /// Why the jobs in the backlog can never run as things stand, or <c>null</c>. Two cases would otherwise leave
    /// them waiting with no outcome: a drain (<paramref name="draining"/>) while the scale allows no worker
    /// (<paramref name="target"/> 0: a drain finishes what can run, it does not wait for the scale to change), and a
    /// pool with no restart budget whose every worker fails its Init (nothing would ever kill it; the workers keep
    /// retrying with backoff, and new jobs fail at once until one of them starts).
    /// </summary>
    public (string Reason, Exception? Failure)? WhyNoneCanRun(string poolName, bool draining, int target, bool budgetless)
    {
        var (live, failing, active) = Health();

        if (draining && active == 0 && target == 0)
        {
            return ($"Pool '{poolName}' is draining and its scale function allows no workers (0), so the job could not run.", null);
        }

        if (live > 0 && failing == live && budgetless && LastInitFailure is { } failure)
        {
            return ($"No worker of pool '{poolName}' could build its state: {failure.Message}", failure);
        }

        return null;
    }

    /// <summary>Tells <paramref name="worker"/> to retire: at once (<paramref name="now"/>), or after the jobs it holds.</summary>
    public void Retire(WorkerEntry worker, bool now)
    {
        worker.Retiring = true;
        worker.RetiringNow = now;
        worker.Actor.Tell(now ? Workers.Retire.Immediately : Workers.Retire.AfterQueued, pool);
    }

    /// <summary>
    /// Tells every worker to retire (those told already only when now is sooner): at once when <paramref name="now"/>,
    /// else after the jobs each holds; a worker still building its state (or backing off after a failed Init) holds no
    /// job and stops at once, rather than after an Init that may never succeed.
    /// </summary>
    public void RetireAll(bool now)
    {
        foreach (var worker in _byActor.Values)
        {
            if ((now || (!worker.Ready && worker.InFlight.Count == 0)) && !worker.RetiringNow)
            {
                Retire(worker, now: true);
            }
            else if (!worker.Retiring)
            {
                Retire(worker, now: false);
            }
        }
    }

    /// <summary>
    /// Cancels the jobs handed to workers and not yet run (those running too when <paramref name="evenIfRunning"/>);
    /// returns how many of those cancelled were running (their code keeps its worker until it returns).
    /// </summary>
    public int CancelInFlight(string reason, Exception? cause, bool evenIfRunning)
    {
        var running = 0;
        foreach (var worker in _byActor.Values)
        {
            foreach (var job in worker.InFlight.Jobs())
            {
                if (job.TryCancel(reason, cause, pool, evenIfRunning, out var wasRunning) && wasRunning)
                {
                    running++;
                }
            }
        }

        return running;
    }

    /// <summary>Hands <paramref name="message"/> to every worker not retiring, to run the pool's Handle on its state.</summary>
    public void Broadcast(object message)
    {
        foreach (var worker in _byActor.Values)
        {
            if (!worker.Retiring)
            {
                worker.Actor.Tell(new WorkerBroadcast(message), pool);
            }
        }
    }
}
