using Actorpool.Actors.Metrics;

namespace Actorpool.Actors.Pools;

/// <summary>What a pool's supervisor shares with its <see cref="PoolRef{TState}"/>: counters, backlog slots and lifecycle signals.</summary>
internal sealed class PoolShared(string name, int backlog) : IDisposable
{
    public string Name { get; } = name;

    public int Backlog { get; } = backlog;

    public PoolCounters Counters { get; } = new(name);

    /// <summary>One permit per free backlog slot: taken by a submit, given back when the job leaves the backlog.</summary>
    public SemaphoreSlim Gate { get; } = new(backlog, backlog);

    /// <summary>Cancelled by the supervisor when it stops accepting jobs (Drain, Stop, Kill, termination).</summary>
    public CancellationTokenSource Closing { get; } = new();

    /// <summary>Completed by the supervisor's PostStop.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsClosing => Closing.IsCancellationRequested;

    public void Dispose()
    {
        Closing.Dispose();
        Gate.Dispose();
    }
}
