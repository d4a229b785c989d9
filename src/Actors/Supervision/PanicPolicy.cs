namespace Actorpool.Actors.Supervision;

/// <summary>What a worker failure costs the pool.</summary>
public enum PanicKind
{
    /// <summary>The first failure stops the pool: queued and in-flight work is cancelled with the cause.</summary>
    Kill,

    /// <summary>The failed worker is restarted with fresh state; its old state is closed.</summary>
    Respawn,

    /// <summary>The failed worker keeps its state and continues with the next job.</summary>
    Resume,
}

/// <summary>
/// How many restarts a pool tolerates within a sliding window before a crash loop turns into
/// <see cref="PanicKind.Kill"/>, and how long to back off between restarts.
/// </summary>
public sealed record RestartBudget
{
    /// <summary>Creates a budget of <paramref name="maxRestarts"/> restarts within <paramref name="window"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count below zero or a window that is not positive.</exception>
    public RestartBudget(int maxRestarts, TimeSpan window)
    {
        if (OptionRules.AtLeast(nameof(maxRestarts), maxRestarts, 0) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRestarts), maxRestarts, problem);
        }

        TimeLimits.Check(nameof(window), window, TimeLimits.MaxDelay, positive: true);

        MaxRestarts = maxRestarts;
        Window = window;
    }

    /// <summary>Restarts allowed within <see cref="Window"/>; one more turns the failure into a Kill.</summary>
    public int MaxRestarts { get; }

    /// <summary>The sliding window the restarts are counted in.</summary>
    public TimeSpan Window { get; }

    /// <summary>
    /// Delay before the first restart of a worker; doubles per consecutive restart. <c>null</c> = restart at once
    /// (without a budget, a worker whose <c>Init</c> keeps failing still backs off, see <see cref="InitFailureBackoff"/>).
    /// 0 to <see cref="TimeLimits.MaxDelay"/>.
    /// </summary>
    public TimeSpan? InitialBackoff
    {
        get;
        init
        {
            if (value is { } v)
            {
                TimeLimits.Check(nameof(InitialBackoff), v, TimeLimits.MaxDelay, positive: false);
            }

            field = value;
        }
    }

    /// <summary>Upper bound on the backoff delay; 0 to <see cref="TimeLimits.MaxDelay"/>.</summary>
    public TimeSpan MaxBackoff
    {
        get;
        init
        {
            TimeLimits.Check(nameof(MaxBackoff), value, TimeLimits.MaxDelay, positive: false);
            field = value;
        }
    } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The first delay before retrying an <c>Init</c> that failed, for a policy without a budget (nothing else would end
    /// its crash loop): 10 ms, doubling per consecutive failure up to <see cref="MaxBackoff"/>, so a worker that cannot
    /// start never spins a core. With a budget, <see cref="InitialBackoff"/> applies and the budget ends the loop.
    /// </summary>
    public static TimeSpan InitFailureBackoff { get; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The default budget: 10 restarts per minute, no backoff.</summary>
    public static RestartBudget Default { get; } = new(10, TimeSpan.FromMinutes(1));

    /// <summary>The backoff before the <paramref name="consecutive"/>-th consecutive restart (1-based), or zero.</summary>
    public TimeSpan BackoffFor(int consecutive) => BackoffFor(consecutive, initFailed: false);

    /// <summary>
    /// The backoff before the <paramref name="consecutive"/>-th consecutive restart (1-based); when the worker's
    /// <c>Init</c> failed, never zero (<see cref="InitFailureBackoff"/> stands in for a missing <see cref="InitialBackoff"/>).
    /// </summary>
    public TimeSpan BackoffFor(int consecutive, bool initFailed) => Backoff(InitialBackoff, MaxBackoff, consecutive, initFailed);

    /// <summary>The exponential backoff shared by every restart path; <paramref name="budget"/> <c>null</c> = defaults.</summary>
    internal static TimeSpan Backoff(RestartBudget? budget, int consecutive, bool initFailed) =>
        Backoff(budget?.InitialBackoff, budget?.MaxBackoff ?? Default.MaxBackoff, consecutive, initFailed);

    private static TimeSpan Backoff(TimeSpan? initialBackoff, TimeSpan maxBackoff, int consecutive, bool initFailed)
    {
        var initial = initialBackoff is { } set && set > TimeSpan.Zero ? set : initFailed ? InitFailureBackoff : TimeSpan.Zero;
        if (initial <= TimeSpan.Zero || consecutive <= 0)
        {
            return TimeSpan.Zero;
        }

        var factor = Math.Pow(2, Math.Min(consecutive - 1, 30));
        var ticks = Math.Min(initial.Ticks * factor, Math.Max(maxBackoff.Ticks, initFailed ? InitFailureBackoff.Ticks : 0));
        return TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>
/// The pool's answer to a worker that throws: kill the pool, respawn the worker, or resume it, with a
/// restart budget and an optional number of retries of the failed job on another worker.
/// </summary>
public sealed record PanicPolicy
{
    /// <summary>What a failure costs.</summary>
    public PanicKind Kind { get; init; } = PanicKind.Respawn;

    /// <summary>Restart budget for <see cref="PanicKind.Respawn"/>; <c>null</c> = no limit.</summary>
    public RestartBudget? Budget { get; init; } = RestartBudget.Default;

    /// <summary>How many times a failed job is retried on another worker before its failure is reported (0 = never).</summary>
    public int JobRetries
    {
        get;
        init
        {
            if (OptionRules.AtLeast(nameof(JobRetries), value, 0) is { } problem)
            {
                throw new ArgumentOutOfRangeException(nameof(JobRetries), value, problem);
            }

            field = value;
        }
    }

    /// <summary>The first failure stops the pool.</summary>
    public static PanicPolicy Kill { get; } = new() { Kind = PanicKind.Kill, Budget = null };

    /// <summary>Keep the failed worker's state and continue.</summary>
    public static PanicPolicy Resume { get; } = new() { Kind = PanicKind.Resume, Budget = null };

    /// <summary>Restart the failed worker with fresh state, within <paramref name="budget"/> (default: <see cref="RestartBudget.Default"/>).</summary>
    public static PanicPolicy Respawn(RestartBudget? budget = null) => new() { Kind = PanicKind.Respawn, Budget = budget ?? RestartBudget.Default };

    /// <summary>Returns a copy that retries a failed job up to <paramref name="retries"/> times.</summary>
    public PanicPolicy WithJobRetries(int retries) => this with { JobRetries = retries };
}
