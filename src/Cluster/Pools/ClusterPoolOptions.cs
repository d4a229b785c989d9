using Actorpool.Actors.Pools;

namespace Actorpool.Cluster.Pools;

/// <summary>
/// One pool across a cluster: the same definition is spawned on every node (<c>system.SpawnClusterPool(options)</c>).
/// Nodes with <see cref="Role"/> run <see cref="Node"/> as a local pool of workers and pull jobs from every node's
/// submitters; any node submits. Immutable; <see cref="Validate"/> runs when the pool is spawned.
/// </summary>
/// <typeparam name="TState">The per-worker state built by the local pool's <c>Init</c> on each node.</typeparam>
/// <typeparam name="TJob">The job message; it crosses nodes through Akka's serializers (Newtonsoft.Json is bound to it).</typeparam>
/// <typeparam name="TResult">The job's result; it crosses nodes the same way.</typeparam>
public sealed record ClusterPoolOptions<TState, TJob, TResult>
    where TJob : notnull
{
    /// <summary>
    /// The pool each worker node runs: its <c>Name</c> names the cluster pool (the same on every node), and its
    /// <c>Init</c>, <c>Workers</c> or <c>Scale</c>, <c>Panic</c>, <c>Prefetch</c> and dispatcher settings apply per node.
    /// Its <c>Handle</c>/<c>HandleAsync</c> must be unset: <see cref="Handle"/> is the cluster pool's handler.
    /// </summary>
    public required PoolOptions<TState> Node { get; init; }

    /// <summary>Runs one job on a worker's state; the token fires when the caller cancels, the job times out or its submitting node is lost.</summary>
    public required Func<TState, TJob, CancellationToken, ValueTask<TResult>> Handle { get; init; }

    /// <summary>Only members with this cluster role run workers; <c>null</c> = every member.</summary>
    public string? Role { get; init; }

    /// <summary>Jobs that may wait on the submitting node before a node takes them; beyond it a message submit is rejected and <c>RunAsync</c> waits.</summary>
    public int Backlog { get; init; } = ClusterPoolDefaults.Backlog;

    /// <summary>
    /// Jobs a node may hold per worker (running or queued there): a node asks for more only as its jobs finish, so
    /// this bounds what is in flight to it and a slow node gets fewer jobs.
    /// </summary>
    public int CreditPerWorker { get; init; } = ClusterPoolDefaults.CreditPerWorker;

    /// <summary>What happens to the jobs of a node lost mid-job (crashed, or downed by the split-brain resolver).</summary>
    public Delivery Delivery { get; init; } = Delivery.AtLeastOnce;

    /// <summary>Default time limit of one job, enforced where it runs (<c>null</c>: none); a call's own timeout wins.</summary>
    public TimeSpan? JobTimeout { get; init; }

    /// <summary>How long a stop of this node (or of the pool) waits for its submitted and running jobs before it cancels them.</summary>
    public TimeSpan StopDeadline { get; init; } = ClusterPoolDefaults.StopDeadline;

    /// <summary>How often a worker node asks a member whose submitter has not answered yet to take its workers (the pool may start later there).</summary>
    public TimeSpan RegisterInterval { get; init; } = ClusterPoolDefaults.RegisterInterval;

    /// <summary>The pool's name: <see cref="Node"/>'s <c>Name</c>.</summary>
    public string Name => Node.Name;

    /// <summary>Throws <see cref="ArgumentException"/> (or a subclass) naming the first invalid value.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Node, nameof(Node));
        ArgumentNullException.ThrowIfNull(Handle, nameof(Handle));
        Node.Validate();
        if (Node.Handle is not null || Node.HandleAsync is not null)
        {
            throw new ArgumentException($"Node.Handle and Node.HandleAsync must be unset for cluster pool '{Name}': its Handle runs the jobs.", nameof(Node));
        }

        if (Backlog < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Backlog), Backlog, $"Backlog must be at least 1, was {Backlog}.");
        }

        if (CreditPerWorker < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CreditPerWorker), CreditPerWorker, $"CreditPerWorker must be at least 1, was {CreditPerWorker}.");
        }

        if (!Enum.IsDefined(Delivery))
        {
            throw new ArgumentOutOfRangeException(nameof(Delivery), Delivery, $"Delivery must be AtLeastOnce or AtMostOnce, was {Delivery}.");
        }

        if (JobTimeout is { } timeout)
        {
            TimeLimits.Check(nameof(JobTimeout), timeout, TimeLimits.MaxDelay, positive: true); // as a node's pool checks every job's
        }

        if (StopDeadline < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StopDeadline), StopDeadline, $"StopDeadline must not be negative, was {StopDeadline}.");
        }

        if (RegisterInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RegisterInterval), RegisterInterval, $"RegisterInterval must be positive, was {RegisterInterval}.");
        }

        if (Role is { Length: 0 })
        {
            throw new ArgumentException("Role must be null (every member) or a role name, was empty.", nameof(Role));
        }
    }
}

/// <summary>What a cluster pool does with the jobs a lost node held.</summary>
public enum Delivery
{
    /// <summary>They run again on another node; the caller still gets one outcome, and a possible second execution is counted (<see cref="ClusterPoolStats.Redispatched"/>).</summary>
    AtLeastOnce,

    /// <summary>They fail with <see cref="NodeLostException"/>: a job never runs twice, and may not have run at all.</summary>
    AtMostOnce,
}

/// <summary>The defaults of <see cref="ClusterPoolOptions{TState, TJob, TResult}"/>, in one place.</summary>
public static class ClusterPoolDefaults
{
    /// <summary>Jobs that may wait on a submitting node.</summary>
    public static int Backlog { get; } = 10_000;

    /// <summary>Jobs in flight to a node per worker it runs: enough to cover a loopback round trip for tiny jobs, few enough that a slow job holds little behind it.</summary>
    public static int CreditPerWorker { get; } = 32;

    /// <summary>How long a stop waits for jobs before cancelling them.</summary>
    public static TimeSpan StopDeadline { get; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a worker node retries registering with a member's submitter.</summary>
    public static TimeSpan RegisterInterval { get; } = TimeSpan.FromMilliseconds(500);
}
