using System.Diagnostics.Metrics;
using Actorpool.Actors.Supervision;
using Akka.Actor;
using Akka.Event;

namespace Actorpool.Actors.Pools;

/// <summary>
/// How a pool is built: its name, its size (fixed or a scale function), the per-worker state factory, the
/// panic policy and the backlog bound. Immutable; <see cref="Validate"/> runs when the pool is spawned.
/// </summary>
/// <typeparam name="TState">The per-worker state built by <see cref="Init"/>; disposed when its worker stops or restarts if it is <see cref="IDisposable"/>.</typeparam>
public sealed record PoolOptions<TState>
{
    /// <summary>The pool actor's name; must be a valid actor name, unique among its siblings.</summary>
    public required string Name { get; init; }

    /// <summary>Fixed number of workers; ignored when <see cref="Scale"/> is set.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Upper bound on the workers: a larger <see cref="Workers"/> is rejected, a larger scale answer is clamped (and logged).</summary>
    public int MaxWorkers { get; init; } = PoolDefaults.MaxWorkers;

    /// <summary>
    /// Scale function (dynpool style) asked on dispatch and every <see cref="ScaleInterval"/>; <c>null</c> =
    /// <see cref="Workers"/> workers. Every kind is honoured: <c>Active(n)</c> runs n workers; <c>Mixed(n, k)</c> runs n
    /// and keeps up to k more alive with their state but without jobs; <c>NoTerm(n)</c> runs n and retires none;
    /// <c>Shutdown</c> drains the pool.
    /// </summary>
    public Func<PoolLoad, global::Actorpool.Dynamic.Scale>? Scale { get; init; }

    /// <summary>Builds the state of worker <c>index</c> (0-based); called again, with the same index, when the worker is respawned.</summary>
    public required Func<int, TState> Init { get; init; }

    /// <summary>What a worker failure costs; default: respawn within <see cref="RestartBudget.Default"/>.</summary>
    public PanicPolicy Panic { get; init; } = new();

    /// <summary>Jobs that may wait in the pool; beyond it a message submit is rejected and a <c>RunAsync</c> waits.</summary>
    public int Backlog { get; init; } = PoolDefaults.Backlog;

    /// <summary>Jobs handed to one worker ahead of time (work pulling keeps at most this many per worker).</summary>
    public int Prefetch { get; init; } = PoolDefaults.Prefetch;

    /// <summary>How long an answer of <see cref="Scale"/> is reused before it is asked again; 0 to <see cref="TimeLimits.MaxDelay"/>.</summary>
    public TimeSpan ScaleCachePeriod { get; init; } = PoolDefaults.ScaleCachePeriod;

    /// <summary>How often the pool asks <see cref="Scale"/> when no job arrives (so an idle pool shrinks); positive, at most <see cref="TimeLimits.MaxDelay"/>.</summary>
    public TimeSpan ScaleInterval { get; init; } = PoolDefaults.ScaleInterval;

    /// <summary>The clock for scaling, restart budgets, backoff and deadlines.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Akka dispatcher id for the workers; <c>null</c> = the pool default, <c>actorpool.work-stealing-dispatcher</c> (opt out with e.g. <c>akka.actor.default-dispatcher</c>).</summary>
    public string? Dispatcher { get; init; }

    /// <summary>
    /// Each worker runs on a thread of its own (Akka's pinned dispatcher) instead of the shared work-stealing threads
    /// (one per core): for jobs that block a thread (a synchronous driver, a sleep), so <see cref="Workers"/> of them run
    /// at once. Asynchronous jobs that await I/O need no thread while they wait and are better on the shared threads.
    /// Not with <see cref="Dispatcher"/>.
    /// </summary>
    public bool OwnThreads { get; init; }

    /// <summary>The dispatcher the workers run on: <see cref="Dispatcher"/>, their own threads, or the work-stealing one.</summary>
    internal string WorkersDispatcher => OwnThreads ? Actorpool.Actors.Dispatch.OwnThreadsDispatcher.Id : Dispatcher ?? Actorpool.Actors.Dispatch.WorkStealingDispatcher.Id;

    /// <summary>
    /// Akka dispatcher id for the pool's supervisor actor; <c>null</c> = the workers' dispatcher. On the
    /// work-stealing dispatcher a supervisor whose run waits more than a few milliseconds for a thread (workers
    /// busy with long jobs on all of them) is run on the .NET ThreadPool instead, so stop deadlines, stats and
    /// scaling never wait for jobs; on another dispatcher that shares threads with long jobs, choose one here.
    /// </summary>
    public string? SupervisorDispatcher { get; init; }

    /// <summary>Handles job messages (submitted with <c>Submit.Message</c>) and broadcasts; <c>null</c> = such jobs fail with <see cref="NotSupportedException"/>.</summary>
    public Func<TState, object, object?>? Handle { get; init; }

    /// <summary>
    /// Handles job messages and broadcasts asynchronously (the worker stays the message's until the task completes);
    /// the token fires when a kill or a stop deadline cuts the job off. Set this or <see cref="Handle"/>, not both.
    /// </summary>
    public Func<TState, object, CancellationToken, ValueTask<object?>>? HandleAsync { get; init; }

    /// <summary>
    /// How long a Task-facade job's code may run (from its start, on <see cref="TimeProvider"/>) before the job is
    /// cancelled with a <see cref="Jobs.JobCancelledException"/> whose inner exception is a <see cref="TimeoutException"/>;
    /// a job whose code takes a cancellation token sees it fire. A call's own timeout overrides it. <c>null</c> (the
    /// default) = no limit; otherwise positive and at most <see cref="TimeLimits.MaxDelay"/>.
    /// </summary>
    public TimeSpan? JobTimeout { get; init; }

    /// <summary>
    /// The level at which the pool logs a job that failed while its worker carried on (the caller gets the exception
    /// anyway): <see cref="LogLevel.DebugLevel"/> by default. A worker restart is logged at Warning in one line and a
    /// pool killed by its panic policy at Error with the cause, whatever this says.
    /// </summary>
    public LogLevel FailureLogLevel { get; init; } = PoolDefaults.FailureLogLevel;

    /// <summary>
    /// Where the pool's metrics go: the "Actorpool" meter this factory makes (a host's <see cref="IMeterFactory"/>, so
    /// its pools report to that host's meter only); <c>null</c> (the default) = the process-wide
    /// <see cref="Metrics.PoolMetrics.Meter"/>. The instruments and tags are the same either way, and the job activities
    /// always go to <see cref="Metrics.PoolMetrics.ActivitySource"/>. A hosted pool gets the host's factory unless its
    /// configure callback sets another (or null).
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || !ActorPath.IsValidPathElement(Name))
        {
            throw new ArgumentException($"Name must be a valid actor name, was '{Name}'.", nameof(Name));
        }

        if (Init is null)
        {
            throw new ArgumentNullException(nameof(Init), "Init must be set.");
        }

        if (Scale is null)
        {
            AtLeast(nameof(Workers), Workers, 1);
        }

        AtLeast(nameof(MaxWorkers), MaxWorkers, 1);

        if (Scale is null && Workers > MaxWorkers)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, $"Workers must be at most MaxWorkers ({MaxWorkers}), was {Workers}.");
        }

        AtLeast(nameof(Backlog), Backlog, 1);
        AtLeast(nameof(Prefetch), Prefetch, 1);

        TimeLimits.Check(nameof(ScaleCachePeriod), ScaleCachePeriod, TimeLimits.MaxDelay, positive: false);
        TimeLimits.Check(nameof(ScaleInterval), ScaleInterval, TimeLimits.MaxDelay, positive: true);
        if (JobTimeout is { } timeout)
        {
            TimeLimits.Check(nameof(JobTimeout), timeout, TimeLimits.MaxDelay, positive: true);
        }

        if (!Enum.IsDefined(FailureLogLevel))
        {
            throw new ArgumentOutOfRangeException(nameof(FailureLogLevel), FailureLogLevel, $"FailureLogLevel must be DebugLevel, InfoLevel, WarningLevel or ErrorLevel, was {FailureLogLevel}.");
        }

        if (TimeProvider is null || Panic is null)
        {
            throw new ArgumentNullException(TimeProvider is null ? nameof(TimeProvider) : nameof(Panic), "TimeProvider and Panic must be set.");
        }

        if (OwnThreads && Dispatcher is not null)
        {
            throw new ArgumentException($"Set OwnThreads or Dispatcher, not both: the workers run on their own threads or on dispatcher '{Dispatcher}'.", nameof(OwnThreads));
        }

        if (Handle is not null && HandleAsync is not null)
        {
            throw new ArgumentException("Set Handle or HandleAsync, not both: a job message is handled once.", nameof(HandleAsync));
        }

        NotBlank(nameof(SupervisorDispatcher), SupervisorDispatcher);
        NotBlank(nameof(Dispatcher), Dispatcher);
    }

    private static void AtLeast(string name, int value, int minimum)
    {
        if (OptionRules.AtLeast(name, value, minimum) is { } problem)
        {
            throw new ArgumentOutOfRangeException(name, value, problem);
        }
    }

    private static void NotBlank(string name, string? dispatcher)
    {
        if (OptionRules.NullOrNotBlank(name, dispatcher, "a dispatcher id") is { } problem)
        {
            throw new ArgumentException(problem, name);
        }
    }
}
