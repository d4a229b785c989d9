using Akka.Event;

namespace Actorpool.Actors.Pools;

/// <summary>The defaults of <see cref="PoolOptions{TState}"/>, in one place (properties, not constants: a new default reaches callers without a rebuild).</summary>
public static class PoolDefaults
{
    /// <summary>Jobs that may wait in a pool before a submit is rejected (message API) or waits (Task API).</summary>
    public static int Backlog { get; } = 1024;

    /// <summary>
    /// Jobs handed to one worker ahead of time (in batches of half). Chosen by the compare benchmarks: 1M tiny jobs
    /// run about 1.2x faster at 64 than at 32 (half the batch messages per job), while the skewed makespan is no
    /// worse at 64 than at 1 to 32 (a slow job holds at most 63 fast ones behind it, microseconds of work).
    /// </summary>
    public static int Prefetch { get; } = 64;

    /// <summary>The most workers a pool runs, whatever its scale function answers (each worker is an actor with its own state).</summary>
    public static int MaxWorkers { get; } = 256;

    /// <summary>How long an answer of the scale function is reused.</summary>
    public static TimeSpan ScaleCachePeriod { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often an idle pool asks its scale function again.</summary>
    public static TimeSpan ScaleInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The level of a failed job's log line when its worker carries on: Debug, since its caller has the exception.</summary>
    public static LogLevel FailureLogLevel { get; } = LogLevel.DebugLevel;
}
