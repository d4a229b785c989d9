namespace Actorpool.Hosting.Configuration;

/// <summary>
/// The configuration of one named pool (<c>Actorpool:Pools:&lt;name&gt;</c>). Every value is optional: a value
/// present in configuration replaces the one set in code, an absent one keeps it. Each pool kind reads its own keys
/// (an actor pool all but <see cref="Capacity"/> and <see cref="PollInterval"/>, a dynamic pool only
/// <see cref="PollInterval"/>, an up/down pool only <see cref="Capacity"/>); a key of another kind fails the start.
/// </summary>
/// <remarks>Mutable, as configuration binding needs; the pool itself receives an immutable options record.</remarks>
public sealed class PoolSettings
{
    /// <summary>A fixed number of workers (at least 1); ignored when <see cref="MinWorkers"/> or <see cref="MaxWorkers"/> is set.</summary>
    public int? Workers { get; set; }

    /// <summary>The fewest workers the pool scales down to when idle (at least 0).</summary>
    public int? MinWorkers { get; set; }

    /// <summary>The most workers the pool scales up to under load (at least 1, and at least <see cref="MinWorkers"/>).</summary>
    public int? MaxWorkers { get; set; }

    /// <summary>How many jobs may wait in front of the workers (at least 1); beyond it a job is rejected.</summary>
    public int? Backlog { get; set; }

    /// <summary>How many jobs are handed to one worker ahead of time (at least 1).</summary>
    public int? Prefetch { get; set; }

    /// <summary>The Akka dispatcher id the workers run on; empty is not allowed.</summary>
    public string? Dispatcher { get; set; }

    /// <summary>The Akka dispatcher id the pool's supervisor runs on (default: the workers' dispatcher); empty is not allowed.</summary>
    public string? SupervisorDispatcher { get; set; }

    /// <summary>Each worker runs on a thread of its own, for blocking jobs; see <c>PoolOptions.OwnThreads</c> (not with <see cref="Dispatcher"/>).</summary>
    public bool? OwnThreads { get; set; }

    /// <summary>How long a job's code may run before the job is cancelled as timed out (positive); see <c>PoolOptions.JobTimeout</c>.</summary>
    public TimeSpan? JobTimeout { get; set; }

    /// <summary>The log level of a failed job whose worker carries on (<c>DebugLevel</c>, <c>InfoLevel</c>, <c>WarningLevel</c> or <c>ErrorLevel</c>); see <c>PoolOptions.FailureLogLevel</c>.</summary>
    public Akka.Event.LogLevel? FailureLogLevel { get; set; }

    /// <summary>What a worker failure costs, with its restart budget.</summary>
    public PanicSettings? Panic { get; set; }

    /// <summary>Up/down pools: how many up messages may wait for the manager (at least 1); see <c>UpDownOptions.Capacity</c>.</summary>
    public int? Capacity { get; set; }

    /// <summary>Dynamic pools: how often an idle worker asks the scale again (positive); see <c>DynamicPoolOptions.PollInterval</c>.</summary>
    public TimeSpan? PollInterval { get; set; }
}
