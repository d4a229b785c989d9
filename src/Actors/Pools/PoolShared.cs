using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;

namespace Actorpool.Actors.Pools;

/// <summary>What a pool's supervisor shares with its <see cref="PoolRef{TState}"/>: counters, backlog permits and lifecycle signals.</summary>
internal sealed class PoolShared : IDisposable
{
    private readonly CancellationTokenSource _cutOff = new();

    public PoolShared(string name, int backlog, TimeSpan? jobTimeout = null, TimeProvider? time = null, PoolInstruments? instruments = null)
    {
        Name = name;
        Backlog = backlog;
        Counters = new PoolCounters(name, PoolKinds.Actor, instruments);
        Gate = new BacklogGate(backlog);
        Limits = new JobLimits(jobTimeout, time ?? TimeProvider.System, _cutOff.Token);
    }

    public string Name { get; }

    public int Backlog { get; }

    public PoolCounters Counters { get; }

    /// <summary>One permit per free backlog slot: taken by a submit, given back when the job leaves the backlog.</summary>
    public BacklogGate Gate { get; }

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

    /// <summary>What bounds the pool's Task-facade jobs: its default timeout, its clock, and its cut-off token.</summary>
    public JobLimits Limits { get; }

    /// <summary>
    /// Fires the cut-off token that running jobs without a token of their own got (a kill, a stop deadline, the pool's
    /// own stop). A callback that a job's code registered on it and that throws does not reach the pool: the jobs'
    /// outcomes are settled already.
    /// </summary>
    public void CutOffRunningJobs()
    {
        try
        {
            _cutOff.Cancel();
        }
        catch (AggregateException)
        {
            // See the summary: the failure belongs to a job's code, whose outcome is settled.
        }
    }

    public void Dispose()
    {
        Closing.Dispose();
        _cutOff.Dispose();
    }
}
