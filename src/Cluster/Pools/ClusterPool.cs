using System.Diagnostics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Cluster.Front;
using Actorpool.Cluster.Nodes;
using Actorpool.Cluster.Protocol;
using Akka.Actor;

namespace Actorpool.Cluster.Pools;

/// <summary>
/// A cluster pool on this node: submit jobs here (Task API, or <c>Submit.Message</c> sent to <see cref="Ref"/>) and
/// they run on whichever worker nodes pull them; each gets exactly one outcome. Returned by
/// <c>system.SpawnClusterPool(options)</c>, which every node calls with the same definition.
/// </summary>
/// <typeparam name="TJob">The job message.</typeparam>
/// <typeparam name="TResult">The job's result.</typeparam>
public sealed class ClusterPool<TJob, TResult> : IManagedPool
    where TJob : notnull
{
    /// <summary>The kind of pool this is (<see cref="IManagedPool.Kind"/>): the <c>pool.kind</c> a host reports it under.</summary>
    public const string KindName = "cluster";

    private readonly PayloadCodec _jobs;
    private readonly FrontIntake _intake;
    private readonly IActorRef? _agent;
    private readonly TimeSpan _stopDeadline;
    private Task? _workersStopped; // set once, under a lock on _intake
    private readonly Task _agentStopped; // completes when this node's agent has stopped (at once when it runs none)

    internal ClusterPool(PayloadCodec jobs, string name, string node, FrontIntake intake, IActorRef? agent, Task agentStopped, TimeSpan stopDeadline)
    {
        _agentStopped = agentStopped;
        _jobs = jobs;
        Name = name;
        Node = node;
        _intake = intake;
        _agent = agent;
        _stopDeadline = stopDeadline;
    }

    /// <summary>The pool's name (the same on every node).</summary>
    public string Name { get; }

    /// <summary>This node's address.</summary>
    public string Node { get; }

    /// <summary>
    /// This node's submitter: send it <c>Submit.Message(jobId, job)</c> from an actor on this node and the sender gets
    /// one of <see cref="JobCompleted"/>, <see cref="JobFailed"/>, <see cref="JobRejected"/> or <see cref="JobCancelled"/>.
    /// A closure <c>Submit.Run</c> is rejected: code cannot cross nodes.
    /// </summary>
    public IActorRef Ref => _intake.Front;

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <summary>True when this node runs workers of the pool (it has the pool's role).</summary>
    public bool RunsWorkers => _agent is not null;

    /// <summary>Completes when this node's submitter has stopped (after a drain or stop, or with the actor system).</summary>
    public Task Completion => _intake.Completion;

    /// <summary>
    /// Runs <paramref name="job"/> on some worker node. The job is serialized now: one that cannot be fails with
    /// <see cref="JobRejectedException"/> naming its type. Waits for room when the backlog is full. The task fails with
    /// <see cref="RemoteJobException"/> when the job threw where it ran, <see cref="NodeLostException"/> when its node
    /// was lost under at-most-once delivery, or <see cref="JobCancelledException"/> when cancelled.
    /// </summary>
    /// <param name="job">The job message.</param>
    /// <param name="cancellationToken">Cancels the job, also while it runs on another node.</param>
    /// <param name="timeout">This job's time limit where it runs (positive); <c>null</c>: the pool's <c>JobTimeout</c>.</param>
    public Task<TResult> RunAsync(TJob job, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (timeout is { } t)
        {
            TimeLimits.Check(nameof(timeout), t, TimeLimits.MaxDelay, positive: true); // as the pool of the node that runs it checks it
        }

        _intake.Counters.CountSubmitted();
        if (Refuse(job, cancellationToken, out var payload) is { } refused)
        {
            return Task.FromException<TResult>(refused);
        }

        var pending = new TaskPendingJob<TResult>(payload, job, Activity.Current?.Id, timeout, cancellationToken);
        if (_intake.Permits.Wait(0))
        {
            Post(pending);
            return pending.Task;
        }

        return WaitForRoomAsync(pending, cancellationToken);
    }

    /// <summary>Like <see cref="RunAsync"/> but never waits: false (and a rejected job, counted) when the backlog is full.</summary>
    public bool TryRun(TJob job, out Task<TResult> result)
    {
        ArgumentNullException.ThrowIfNull(job);
        _intake.Counters.CountSubmitted();
        if (Refuse(job, CancellationToken.None, out var payload) is { } refused)
        {
            result = Task.FromException<TResult>(refused);
            return false;
        }

        if (!_intake.Permits.Wait(0))
        {
            _intake.Counters.CountRejected();
            result = Task.FromException<TResult>(new JobRejectedException($"Cluster pool '{Name}': the backlog on node {Node} is full."));
            return false;
        }

        var pending = new TaskPendingJob<TResult>(payload, job, Activity.Current?.Id, null, CancellationToken.None);
        Post(pending);
        result = pending.Task;
        return true;
    }

    /// <summary>
    /// This node's figures for the pool, with each worker node's own (asked now; a node that does not answer within
    /// <paramref name="nodeTimeout"/>, default 2 s, shows -1 for its own figures).
    /// </summary>
    public async Task<ClusterPoolStats> GetClusterStatsAsync(TimeSpan? nodeTimeout = null, CancellationToken cancellationToken = default)
    {
        var counters = _intake.Counters;
        var agents = new List<ClusterNodeStats>();
        if (!_intake.IsClosed)
        {
            var reply = new TaskCompletionSource<FrontView>(TaskCreationOptions.RunContinuationsAsynchronously);
            _intake.Front.Tell(new GetFrontView(reply));
            var view = await Task.WhenAny(reply.Task, _intake.Completion).ConfigureAwait(false) == reply.Task ? reply.Task.Result : null;
            if (view is not null)
            {
                var wait = nodeTimeout ?? TimeSpan.FromSeconds(2);
                var answers = await Task.WhenAll(view.Agents.Select(a => AskNode(a, wait, cancellationToken))).ConfigureAwait(false);
                agents.AddRange(answers);
            }
        }

        var submitted = counters.Submitted;
        var completed = counters.Completed;
        var failed = counters.Failed;
        var rejected = counters.Rejected;
        var cancelled = counters.Cancelled;
        return new ClusterPoolStats
        {
            Node = Node,
            Submitted = submitted,
            Completed = completed,
            Failed = failed,
            Rejected = rejected,
            Cancelled = cancelled,
            Pending = submitted - completed - failed - rejected - cancelled,
            Redispatched = counters.Redispatched,
            Duplicates = counters.Duplicates,
            NodesLost = counters.NodesLost,
            Nodes = agents,
        };
    }

    /// <summary>
    /// This node's figures as a host reads any pool's: what was submitted here and became of it, the jobs waiting here
    /// (<see cref="PoolStats.Backlog"/>) and in flight to nodes (<see cref="PoolStats.Busy"/>), and the workers of the
    /// nodes that answered. <see cref="GetClusterStatsAsync"/> has the per-node figures.
    /// </summary>
    public async Task<PoolStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var stats = await GetClusterStatsAsync(null, cancellationToken).ConfigureAwait(false);
        var inFlight = stats.Nodes.Sum(n => n.InFlight);
        return new PoolStats
        {
            Submitted = stats.Submitted,
            Completed = stats.Completed,
            Failed = stats.Failed,
            Rejected = stats.Rejected,
            Cancelled = stats.Cancelled,
            Busy = inFlight,
            Backlog = (int)Math.Max(0, stats.Pending - inFlight),
            Workers = stats.Nodes.Where(n => n.Workers > 0).Sum(n => n.Workers),
            Killed = false,
        };
    }

    /// <summary>
    /// Stops this node's part of the pool after running everything accepted here: new submits are rejected, the
    /// jobs submitted here finish wherever they run, then this node's workers finish the jobs they hold (for any node)
    /// and stop. At the deadline (<c>null</c>: the pool's <c>StopDeadline</c>) what is left is cancelled.
    /// </summary>
    public Task<PoolStopReport> DrainAsync(TimeSpan? deadline = null, CancellationToken cancellationToken = default) => StopCoreAsync(true, deadline, cancellationToken);

    /// <summary>Like <see cref="DrainAsync"/>, but the jobs no node took yet are cancelled at once.</summary>
    public Task<PoolStopReport> StopAsync(TimeSpan? deadline = null, CancellationToken cancellationToken = default) => StopCoreAsync(false, deadline, cancellationToken);

    private async Task<PoolStopReport> StopCoreAsync(bool drain, TimeSpan? deadline, CancellationToken cancellationToken)
    {
        if (deadline is { } d && d < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(deadline), d, $"deadline must not be negative, was {d}.");
        }

        var limit = deadline ?? _stopDeadline;
        var report = new PoolStopReport();
        if (!_intake.IsClosed)
        {
            var reply = new TaskCompletionSource<PoolStopReport>(TaskCreationOptions.RunContinuationsAsynchronously);
            _intake.Front.Tell(new StopFront(drain, limit, reply));
            if (await Task.WhenAny(reply.Task, _intake.Completion).WaitAsync(cancellationToken).ConfigureAwait(false) == reply.Task)
            {
                report = reply.Task.Result;
            }
        }

        await StopWorkersAsync(limit).WaitAsync(cancellationToken).ConfigureAwait(false);
        return report;
    }

    /// <summary>Once: this node's workers take no new jobs, finish the ones they hold (at most <paramref name="limit"/>), and stop.</summary>
    internal Task StopWorkersAsync(TimeSpan limit)
    {
        if (_agent is null)
        {
            return Task.CompletedTask;
        }

        lock (_intake)
        {
            return _workersStopped ??= StopAgentAsync(_agent, _agentStopped, limit);
        }

        static async Task StopAgentAsync(IActorRef agent, Task stopped, TimeSpan limit)
        {
            var left = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            agent.Tell(new LeaveNode(left));
            await Task.WhenAny(left.Task, stopped, Task.Delay(limit + TimeSpan.FromSeconds(5))).ConfigureAwait(false);
            try
            {
                await agent.GracefulStop(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TaskCanceledException)
            {
                // it did not stop in time: the actor system's termination stops it
            }
        }
    }

    private Exception? Refuse(TJob job, CancellationToken cancellationToken, out Payload payload)
    {
        payload = default;
        if (cancellationToken.IsCancellationRequested)
        {
            _intake.Counters.CountCancelled();
            return new JobCancelledException("Cancelled by its caller before it was submitted.");
        }

        if (_intake.IsClosed)
        {
            _intake.Counters.CountRejected();
            return new JobRejectedException($"Cluster pool '{Name}' is not running on node {Node}.");
        }

        if (!_jobs.TryAdmit(job, out payload, out var error))
        {
            _intake.Counters.CountRejected();
            return new JobRejectedException(error);
        }

        return null;
    }

    private async Task<TResult> WaitForRoomAsync(TaskPendingJob<TResult> pending, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _intake.Stopped);
        try
        {
            await _intake.Permits.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _intake.Counters.CountCancelled();
                throw new JobCancelledException("Cancelled by its caller while it waited for room in the backlog.");
            }

            _intake.Counters.CountRejected();
            throw new JobRejectedException($"Cluster pool '{Name}' stopped on node {Node} while the job waited for room in the backlog.");
        }

        Post(pending);
        return await pending.Task.ConfigureAwait(false);
    }

    private void Post(TaskPendingJob<TResult> pending)
    {
        pending.HoldsPermit = true;
        if (pending.CancellationToken.CanBeCanceled)
        {
            var front = _intake.Front;
            pending.Registration = pending.CancellationToken.Register(static state =>
            {
                var (job, target) = ((PendingJob, IActorRef))state!;
                target.Tell(new CancelPending(job));
            }, ((PendingJob)pending, front));
        }

        _intake.Post(pending);
    }

    private static async Task<ClusterNodeStats> AskNode(AgentView agent, TimeSpan wait, CancellationToken cancellationToken)
    {
        var stats = new ClusterNodeStats { Node = agent.Node, InFlight = agent.InFlight, Done = agent.Done, Leaving = agent.Leaving, Workers = -1, Executed = -1, FailedThere = -1 };
        try
        {
            var frame = await agent.Agent.Ask<byte[]>(ProtocolCodec.Encode(NodeStatsRequest.Instance), wait, cancellationToken).ConfigureAwait(false);
            var reply = (NodeStatsReply)ProtocolCodec.Decode(frame);
            return stats with { Workers = reply.Workers, Executed = reply.Executed, FailedThere = reply.Failed, Leaving = reply.Leaving || agent.Leaving };
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            return stats;
        }
    }
}
