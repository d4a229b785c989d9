using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Dispatch;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// Keeps pool supervisors and async jobs' continuations running when jobs fill every thread of the work-stealing
/// dispatcher. A supervisor's mailbox run, or the continuation of an async job after an await, is queued on the pool
/// like any other (so it shares the workers' threads and their spin, which keeps a round trip at a few microseconds),
/// but it is also watched: if no pool thread has started it within <see cref="Patience"/>, the guard runs it on the
/// .NET ThreadPool instead. Whoever claims the run first executes it; the other copy does nothing. The timer ticks
/// only while a run is being watched. For a continuation this is what keeps sync-over-async code alive: a job that
/// blocks its thread on a task whose own continuation waits for a dispatcher thread would otherwise wait forever once
/// every dispatcher thread blocks so.
/// </summary>
internal sealed class StarvationGuard : IDisposable
{
    /// <summary>How long a supervisor's run may wait for a pool thread before the ThreadPool takes it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentQueue<ClaimableRun> _watching = new();
    private readonly List<ClaimableRun> _again = [];
    private readonly Timer _timer;
    private readonly long _patienceTicks = (long)(Patience.TotalSeconds * Stopwatch.Frequency);

    // 1 while the timer is ticking; set by whoever arms it, cleared by a tick that found nothing to watch.
    private int _armed;

    // Set by Dispose (the executor shut down); the timer is then never touched again.
    private volatile bool _disposed;

    public StarvationGuard()
    {
        _timer = new Timer(static s => ((StarvationGuard)s!).Tick(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Watches <paramref name="run"/>, which was just armed and queued on the pool (once: a watched run is not added again).</summary>
    public void Watch(ClaimableRun run)
    {
        if (!run.TryWatch())
        {
            return;
        }

        _watching.Enqueue(run);
        if (Volatile.Read(ref _armed) == 0 && Interlocked.Exchange(ref _armed, 1) == 0)
        {
            Arm(true);
        }
    }

    public void Dispose()
    {
        lock (_again)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }

    private void Arm(bool on)
    {
        lock (_again)
        {
            if (!_disposed)
            {
                _timer.Change(on ? Patience : Timeout.InfiniteTimeSpan, on ? Patience : Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Tick()
    {
        // Ticks do not overlap in practice (a tick is a short scan), and a run claimed twice is harmless anyway:
        // TryClaim lets one caller through.
        lock (_again)
        {
            var now = Stopwatch.GetTimestamp();
            while (_watching.TryDequeue(out var run))
            {
                if (run.IsPending && now - run.QueuedAt < _patienceTicks)
                {
                    _again.Add(run); // still waiting, not for long yet
                    continue;
                }

                if (run.TryClaim())
                {
                    ThreadPool.UnsafeQueueUserWorkItem(static r => r.RunClaimed(), run, preferLocal: false);
                }

                // Started (by a pool thread or just now): stop watching; an arm racing this is seen either by the
                // re-check below or by its own TryWatch (both sides use a full fence).
                run.Unwatch();
                if (run.IsPending && run.TryWatch())
                {
                    _again.Add(run);
                }
            }

            foreach (var run in _again)
            {
                _watching.Enqueue(run);
            }

            _again.Clear();
            if (_watching.IsEmpty)
            {
                Arm(false);
                Interlocked.Exchange(ref _armed, 0);

                // A Watch between our emptiness check and the disarm saw the timer armed: re-arm for it.
                if (!_watching.IsEmpty && Interlocked.Exchange(ref _armed, 1) == 0)
                {
                    Arm(true);
                }
            }
        }
    }
}

/// <summary>
/// One pool supervisor's mailbox run, reused for every scheduling of that mailbox (Akka schedules a mailbox again
/// only once its previous run went idle). Armed when queued; the first of the pool thread and the guard to claim it
/// runs the mailbox.
/// </summary>
internal sealed class GuardedRun(Mailbox mailbox) : ClaimableRun
{
    public Mailbox Mailbox { get; } = mailbox;

    internal override void RunClaimed() => Mailbox.Run();
}

/// <summary>
/// Work queued on the work-stealing pool that the <see cref="StarvationGuard"/> may also hand to the ThreadPool: armed
/// when queued, it runs once, on whichever of a pool thread and the guard claims it first.
/// </summary>
internal abstract class ClaimableRun : IRunnable
{
    private int _pending;
    private int _watched;

    /// <summary>Run by whoever holds it, not from the pool's queue: the executor arms and watches it without queueing it.</summary>
    public virtual bool HeldByCaller => false;

    /// <summary>Marks it watched; false when it already is (the guard holds one entry per run at most).</summary>
    public bool TryWatch() => Interlocked.Exchange(ref _watched, 1) == 0;

    public void Unwatch() => Interlocked.Exchange(ref _watched, 0);

    /// <summary>When it was last armed (Stopwatch ticks); read by the guard after it saw the run pending.</summary>
    public long QueuedAt { get; private set; }

    public bool IsPending => Volatile.Read(ref _pending) == 1;

    public void Arm()
    {
        QueuedAt = Stopwatch.GetTimestamp();
        Volatile.Write(ref _pending, 1);
    }

    /// <summary>Test-only: claims with a read and a separate write instead of the exchange (a run-twice bug).</summary>
    internal static bool PlantedBugClaimWithoutExchange;

    public bool TryClaim()
    {
        if (PlantedBugClaimWithoutExchange)
        {
            var pending = Volatile.Read(ref _pending) == 1;
            Volatile.Write(ref _pending, 0);
            return pending;
        }

        return Volatile.Read(ref _pending) == 1 && Interlocked.Exchange(ref _pending, 0) == 1;
    }

    public void Run()
    {
        if (TryClaim())
        {
            RunClaimed();
        }
    }

    public void Execute() => Run();

    /// <summary>The work itself, run by whoever claimed it.</summary>
    internal abstract void RunClaimed();
}
