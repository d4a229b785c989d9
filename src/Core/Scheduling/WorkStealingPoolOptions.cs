namespace Actorpool;

/// <summary>
/// How a <see cref="WorkStealingPool"/> is built. Immutable; <see cref="Validate"/> (called by the pool's
/// constructor) throws naming the bad value.
/// </summary>
public sealed record WorkStealingPoolOptions
{
    /// <summary>The default spin window of an idle worker before it sleeps.</summary>
    public static readonly TimeSpan DefaultSpinTime = TimeSpan.FromMicroseconds(50);

    /// <summary>The default period for which a scale function's answer is reused.</summary>
    public static readonly TimeSpan DefaultScaleCachePeriod = TimeSpan.FromMicroseconds(5);

    /// <summary>Number of dedicated worker threads; defaults to <see cref="Environment.ProcessorCount"/>.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Opt-in: a long Join called from a thread outside the pool (its previous one ran at least 1 ms) is handed
    /// whole to an idle worker while the caller blocks, when the admitted workers cover every core, so the caller
    /// is not a third thread competing for them. Off by default, because both halves then run on pool threads:
    /// a half that takes a lock the caller holds deadlocks, and thread-affine state ([ThreadStatic], AsyncLocal)
    /// is not the caller's.
    /// </summary>
    public bool HandOffExternalJoins { get; init; }

    /// <summary>How long an idle worker spins looking for work before it sleeps (measured on the real clock); 0 to <see cref="TimeLimits.MaxSpin"/>.</summary>
    public TimeSpan SpinTime { get; init; } = DefaultSpinTime;

    /// <summary>
    /// Upper bound of an adaptive spin window: a worker woken soon after it parked doubles its window (up to
    /// this), and one that slept long returns to <see cref="SpinTime"/>. Null (default) spins exactly SpinTime; at
    /// most <see cref="TimeLimits.MaxSpin"/>.
    /// Per pool, at most one worker fewer than the machine has cores spins past SpinTime at a time (none on one
    /// core), so a pool's long spins never keep the process's other threads off every core.
    /// </summary>
    public TimeSpan? MaxSpinTime { get; init; }

    /// <summary>Worker threads are named <c>{ThreadNamePrefix}-{index}</c>.</summary>
    public string ThreadNamePrefix { get; init; } = "actorpool-worker";

    /// <summary>
    /// Creates each worker's (unstarted) thread from the pool's entry point; null uses <c>new Thread</c>. The
    /// pool names the thread if it has no name, makes it a background thread, and starts it.
    /// </summary>
    public Func<ThreadStart, Thread>? ThreadFactory { get; init; }

    /// <summary>
    /// Dynpool-style scale gate: how many workers may run (workers with a lower index first); null means all.
    /// Read at most once per <see cref="ScaleCachePeriod"/>; a Join still completes when it answers 0.
    /// </summary>
    public Func<int>? Scale { get; init; }

    /// <summary>How long a <see cref="Scale"/> answer is reused before the function is asked again; 0 to <see cref="TimeLimits.MaxDelay"/>.</summary>
    public TimeSpan ScaleCachePeriod { get; init; } = DefaultScaleCachePeriod;

    /// <summary>The clock for the scale cache; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Receives exceptions thrown by <see cref="WorkStealingPool.UnsafeQueue"/> items (spawned tasks keep
    /// theirs in their handle). Null writes them to <see cref="System.Diagnostics.Trace"/>; the pool never crashes.
    /// </summary>
    public Action<Exception>? OnUnhandledException { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (Threads < 1 || Threads > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, $"Threads must be between 1 and 4096, was {Threads}.");
        }

        TimeLimits.Check(nameof(SpinTime), SpinTime, TimeLimits.MaxSpin, positive: false);
        if (MaxSpinTime is { } max)
        {
            TimeLimits.Check(nameof(MaxSpinTime), max, TimeLimits.MaxSpin, positive: false);
            if (max < SpinTime)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxSpinTime), max, $"MaxSpinTime must be at least SpinTime ({SpinTime}), was {max}.");
            }
        }

        TimeLimits.Check(nameof(ScaleCachePeriod), ScaleCachePeriod, TimeLimits.MaxDelay, positive: false);

        if (string.IsNullOrWhiteSpace(ThreadNamePrefix))
        {
            throw new ArgumentException($"ThreadNamePrefix must not be empty, was '{ThreadNamePrefix}'.", nameof(ThreadNamePrefix));
        }

        if (TimeProvider is null)
        {
            throw new ArgumentNullException(nameof(TimeProvider), "TimeProvider must not be null.");
        }
    }
}
