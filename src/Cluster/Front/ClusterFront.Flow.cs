using Actorpool.Actors.Pools;
using Actorpool.Cluster.Pools;
using Actorpool.Cluster.Protocol;
using Akka.Actor;
using Akka.Event;

namespace Actorpool.Cluster.Front;

// How jobs flow: out to agents within their credit, back as results, again elsewhere when a node is lost.
internal sealed partial class ClusterFront
{
    private void Welcome(Hello hello)
    {
        if (!_agents.ContainsKey(Sender))
        {
            _agents.Add(Sender, new AgentState(hello.Node));
            Context.Watch(Sender);
            _log.Info("Cluster pool {0}: node {1} takes jobs from node {2}.", _pool, hello.Node, _node);
        }

        Sender.Send(new Welcome(_node), Self);
    }

    /// <summary>
    /// The fewest jobs worth a message to an agent that granted <paramref name="capacity"/>, while more wait
    /// (<see cref="Batching.Minimum"/>; the agent's workers are its capacity over the credit per worker): a node whose
    /// jobs end one at a time (the submitting node's own, which return at once) is sent batches, not one message per job.
    /// </summary>
    private int MinBatch(int capacity) => Batching.Minimum(capacity, capacity / _creditPerWorker);

    /// <summary>
    /// True when <paramref name="agent"/> may be sent jobs now, <paramref name="waiting"/> of them waiting: at least its
    /// minimum batch (1 before it granted credit), or all that wait when fewer do.
    /// </summary>
    private bool Ready(AgentState agent, int waiting) => !agent.Leaving && agent.Credit > 0 && agent.Credit >= Math.Min(MinBatch(agent.Granted), waiting);

    private bool AnyAgentReady(int waiting)
    {
        if (waiting == 0)
        {
            return false;
        }

        foreach (var agent in _agents.Values)
        {
            if (Ready(agent, waiting))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Hands waiting jobs to the agents with credit, in batches, the agent with the most credit first.</summary>
    private void Dispatch()
    {
        _dispatchScheduled = false;
        var waiting = _waiting.Count + _retry.Count;
        var ready = _agents.Where(a => Ready(a.Value, waiting)).OrderByDescending(a => a.Value.Credit).ToList();
        while (ready.Count > 0 && _waiting.Count + _retry.Count > 0)
        {
            var share = Math.Max(1, (_waiting.Count + _retry.Count + ready.Count - 1) / ready.Count);
            for (var i = ready.Count - 1; i >= 0; i--)
            {
                var (agentRef, agent) = (ready[i].Key, ready[i].Value);
                var local = agentRef.Path.Address.HasLocalScope;
                var batch = Take(Math.Min(share, agent.Credit), agentRef, agent, local);
                if (batch.Count > 0 && local)
                {
                    agentRef.Tell(new LocalJobs([.. batch]), Self); // this node's own workers: the job objects, no serialization
                }
                else if (batch.Count > 0)
                {
                    agentRef.Send(new Jobs([.. batch]), Self);
                }

                if (agent.Credit == 0)
                {
                    ready.RemoveAt(i);
                }
            }
        }
    }

    private List<JobItem> Take(int count, IActorRef agentRef, AgentState agent, bool local)
    {
        var batch = new List<JobItem>(Math.Min(count, _waiting.Count + _retry.Count));
        while (batch.Count < count && (_retry.Count > 0 || _waiting.Count > 0))
        {
            var job = _retry.Count > 0 ? _retry.Dequeue() : _waiting.Dequeue();
            if (job.IsSettled)
            {
                continue; // cancelled by its caller while it waited
            }

            if (!local && !job.Job.IsWritten && !WriteForTransit(job))
            {
                continue; // rejected, naming its type: it never leaves this node
            }

            _intake.Release(job);
            job.Node = agentRef;
            job.Dispatches++;
            agent.InFlight.Add(job.Sequence);
            agent.Credit--;
            batch.Add(local ? new JobItem(job.Sequence, default, job.TraceParent, job.Timeout, job.Original) : new JobItem(job.Sequence, job.Job, job.TraceParent, job.Timeout));
        }

        return batch;
    }

    /// <summary>Writes a job admitted unwritten (its type had crossed before) as it leaves for another node; one that cannot be written is rejected.</summary>
    private bool WriteForTransit(PendingJob job)
    {
        if (_jobs.TryWrite(job.Original, out var payload, out var error))
        {
            job.Job = payload;
            return true;
        }

        _pending.Remove(job.Sequence);
        Reject(job, error);
        CheckStopped(); // it may have been the last job a stop waited for
        return false;
    }

    private void Settle(ResultItem[] items, int credit)
    {
        _agents.TryGetValue(Sender, out var agent);
        foreach (var item in items)
        {
            agent?.InFlight.Remove(item.Sequence);
            if (!_pending.Remove(item.Sequence, out var job))
            {
                if (_redispatched.Contains(item.Sequence))
                {
                    Counters.CountDuplicate(); // the job ran again after its first node was lost, and both answered
                }

                continue;
            }

            if (agent is not null)
            {
                agent.Done++;
            }

            if (job.IsSettled)
            {
                continue; // its caller cancelled it while it ran
            }

            if (item.Kind == ResultKind.HandedBack)
            {
                // It never started there: safe to run elsewhere whatever the delivery. First in line again; a node that
                // refuses jobs is going away, so it gets no more (else the job would bounce between it and here).
                _pending.Add(item.Sequence, job);
                job.Node = null;
                _retry.Enqueue(job);
                StopSending(agent);
                continue;
            }

            if (item.Kind == ResultKind.Lost)
            {
                // The node's pool was killed while it held the job: as for a lost node, by delivery.
                StopSending(agent);
                LoseJob(job, agent?.Node ?? Sender.Path.Address.ToString(), $"the pool on node {agent?.Node} was killed ({item.ErrorMessage})");
                continue;
            }

            SettleWith(job, item, agent?.Node ?? Sender.Path.Address.ToString());
        }

        if (agent is not null && !agent.Leaving)
        {
            agent.Credit += credit;
        }

        ScheduleDispatch();
        CheckStopped();
    }

    private void SettleWith(PendingJob job, ResultItem item, string node)
    {
        switch (item.Kind)
        {
            case ResultKind.Completed:
                object? value;
                try
                {
                    value = item.IsLocal ? item.Local : _results.Read(item.Value);
                }
                catch (Exception e)
                {
                    if (job.Fail(new RemoteJobException($"The result of job {job.Sequence} from node {node} could not be deserialized (manifest '{item.Value.Manifest}'): {e.Message}", e)))
                    {
                        Counters.CountFailed();
                    }

                    return;
                }

                if (job.Complete(value))
                {
                    Counters.CountCompleted();
                }

                break;
            case ResultKind.Cancelled:
                Cancel(job, $"Cancelled on node {node}: {item.ErrorMessage}");
                break;
            default:
                if (job.Fail(new RemoteJobException(item.ErrorType ?? "Exception", item.ErrorMessage ?? "", item.ErrorStack ?? "", node)))
                {
                    Counters.CountFailed();
                }

                break;
        }
    }

    /// <summary>An agent terminated: its node was downed and removed, or its pool stopped there. Its jobs go elsewhere or fail.</summary>
    private void NodeLost(IActorRef agentRef)
    {
        if (!_agents.Remove(agentRef, out var agent))
        {
            return;
        }

        // Every job the agent held leaves _pending here: those its callers cancelled are done; the rest LoseJob handles.
        var held = new List<PendingJob>();
        foreach (var sequence in agent.InFlight)
        {
            if (_pending.Remove(sequence, out var job) && !job.IsSettled)
            {
                held.Add(job);
            }
        }

        if (held.Count == 0)
        {
            _log.Info("Cluster pool {0}: node {1} no longer takes jobs (it held none of node {2}).", _pool, agent.Node, _node);
            CheckStopped();
            return;
        }

        Counters.CountNodeLost();
        _log.Warning("Cluster pool {0}: node {1} was lost holding {2} job(s) of node {3}; {4}.", _pool, agent.Node, held.Count, _node,
            _delivery == Delivery.AtLeastOnce ? "they run again on other nodes" : "they fail (at-most-once)");
        foreach (var job in held.OrderBy(j => j.Sequence))
        {
            LoseJob(job, agent.Node, $"node {agent.Node} was lost");
        }

        ScheduleDispatch();
        CheckStopped();
    }

    /// <summary>A job whose node lost it (not in <c>_pending</c>): first in line again (at-least-once), or failed (at-most-once).</summary>
    private void LoseJob(PendingJob job, string node, string why)
    {
        job.Node = null;
        if (_delivery == Delivery.AtLeastOnce && _stopping is not { CutOff: true })
        {
            Counters.CountRedispatched();
            _redispatched.Add(job.Sequence);
            _pending.Add(job.Sequence, job);
            _retry.Enqueue(job);
            return;
        }

        if (job.Fail(new NodeLostException($"Job {job.Sequence} of cluster pool '{_pool}' was lost with its node: {why} (at-most-once delivery: the job may or may not have run on {node}).")))
        {
            Counters.CountFailed();
        }
    }

    private static void StopSending(AgentState? agent)
    {
        if (agent is not null)
        {
            agent.Leaving = true;
            agent.Credit = 0;
        }
    }

    private void BeginStop(StopFront stop)
    {
        if (_stopping is not null)
        {
            _stopping.Followers.Add(stop.Reply);
            return;
        }

        _stopping = new Stopping(stop.Reply, Counters);
        Admit(); // jobs already queued are rejected now, not left behind
        if (!stop.Drain)
        {
            foreach (var job in _retry.Concat(_waiting))
            {
                _pending.Remove(job.Sequence);
                Cancel(job, $"Cluster pool '{_pool}' stopped on node {_node} before a node took the job.");
            }

            _retry.Clear();
            _waiting.Clear();
        }

        if (stop.Deadline is { } deadline)
        {
            Timers.StartSingleTimer(StopDeadlinePassed.Instance, StopDeadlinePassed.Instance, deadline);
        }

        CheckStopped();
    }

    /// <summary>Cancels every job still without an outcome (the stop's deadline passed), then stops.</summary>
    private void CutOff(string why)
    {
        if (_stopping is null)
        {
            return;
        }

        _stopping.CutOff = true;
        var running = _pending.Values.Count(j => j.Node is not null && !j.IsSettled);
        foreach (var (agentRef, agent) in _agents)
        {
            if (agent.InFlight.Count > 0)
            {
                agentRef.Send(new CancelJobs([.. agent.InFlight]), Self);
            }
        }

        foreach (var job in _pending.Values)
        {
            Cancel(job, $"Cluster pool '{_pool}' stopped on node {_node}: {why} before the job ended.");
        }

        _pending.Clear();
        _retry.Clear();
        _waiting.Clear();
        _stopping.Finish(Counters, deadlineReached: true, running);
        Context.Stop(Self);
    }

    private void CheckStopped()
    {
        if (_stopping is null || _pending.Count > 0)
        {
            return;
        }

        Timers.CancelAll();
        _stopping.Finish(Counters, deadlineReached: false, running: 0);
        Context.Stop(Self);
    }

    /// <summary>A stop under way: who waits for it and the counts when it began.</summary>
    private sealed class Stopping(TaskCompletionSource<PoolStopReport> reply, FrontCounters counters)
    {
        private readonly long _completed = counters.Completed;
        private readonly long _cancelled = counters.Cancelled;

        public TaskCompletionSource<PoolStopReport> Reply { get; } = reply;

        public List<TaskCompletionSource<PoolStopReport>> Followers { get; } = [];

        public bool CutOff { get; set; }

        public PoolStopReport Report(FrontCounters now, bool deadlineReached, long running) => new()
        {
            Completed = now.Completed - _completed,
            Cancelled = now.Cancelled - _cancelled,
            DeadlineReached = deadlineReached,
            RunningWhenCutOff = running,
        };

        public void Finish(FrontCounters now, bool deadlineReached, long running)
        {
            var report = Report(now, deadlineReached, running);
            Reply.TrySetResult(report);
            foreach (var follower in Followers)
            {
                follower.TrySetResult(report);
            }
        }
    }
}
