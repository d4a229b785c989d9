using Actorpool.Actors.Metrics;

namespace Actorpool.Actors.Pools;

/// <summary>What a pool's supervisor shares with its <see cref="PoolRef{TState}"/>: counters, backlog permits and lifecycle signals.</summary>
internal sealed class PoolShared(string name, int backlog) : IDisposable
{
    public string Name { get; } = name;

    public int Backlog { get; } = backlog;

    public PoolCounters Counters { get; } = new(name);

    /// <summary>One permit per free backlog slot: taken by a submit, given back when the job leaves the backlog.</summary>
    public BacklogGate Gate { get; } = new(backlog);

    /// <summary>Cancelled by the supervisor when it stops accepting jobs (Drain, Stop, Kill, termination).</summary>
    public CancellationTokenSource Closing { get; } = new();

    /// <summary>
    /// Completed by the supervisor's PostStop: its workers have stopped and no job it accepted can still run. Akka
    /// drains its mailbox to dead letters right after, so a submit that sees this set settles its own job.
    /// </summary>
    public TaskCompletionSource Terminated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completed after <see cref="Terminated"/>, once the pool's parent has also released its name (see
    /// <c>PoolExtensions</c>): the public <c>Completion</c>, after which a pool of the same name can be spawned.
    /// </summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completed when every worker the pool started with has tried its <c>Init</c> once (built its state or failed
    /// and been judged by the panic policy), or when the pool stopped before that.
    /// </summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why the panic policy killed the pool; <c>null</c> while it was not killed. Written once by the supervisor.</summary>
    public Exception? KillCause { get; set; }

    public bool IsClosing => Closing.IsCancellationRequested;

    public void Dispose()
    {
        Closing.Dispose();
    }
}
