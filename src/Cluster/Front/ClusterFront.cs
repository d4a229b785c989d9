using Actorpool.Actors.Jobs;
using Actorpool.Cluster.Pools;
using Actorpool.Cluster.Protocol;
using Akka.Actor;
using Akka.Event;

namespace Actorpool.Cluster.Front;

/// <summary>
/// One node's submitter of a cluster pool: it keeps the jobs submitted on this node (waiting, then in flight to a
/// worker node), hands them to agents within the credit each granted, settles every job once, and re-dispatches or
/// fails the jobs of an agent whose node is lost (its death watch fires when the node is downed and removed).
/// </summary>
internal sealed partial class ClusterFront : UntypedActor, IWithTimers
{
    private readonly FrontIntake _intake;
    private readonly PayloadCodec _jobs;
    private readonly PayloadCodec _results;
    private readonly string _pool;
    private readonly string _node;
    private readonly int _backlog;
    private readonly Delivery _delivery;
    private readonly int _creditPerWorker;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    // Front actor only, all of them.
    private readonly Queue<PendingJob> _retry = new();   // jobs of lost nodes: handed out before new ones
    private readonly Queue<PendingJob> _waiting = new(); // jobs no node took yet, in submit order (settled ones skipped)
    private readonly Dictionary<long, PendingJob> _pending = [];   // every admitted job without a result yet, by sequence
    private readonly Dictionary<IActorRef, AgentState> _agents = [];
    private readonly HashSet<long> _redispatched = [];  // sequences sent to a second node: a later result for one is a duplicate
    private long _nextSequence;
    private bool _dispatchScheduled;
    private Stopping? _stopping;

    public ClusterFront(FrontIntake intake, PayloadCodec jobs, PayloadCodec results, string pool, string node, int backlog, Delivery delivery, int creditPerWorker)
    {
        _creditPerWorker = creditPerWorker;
        _intake = intake;
        _jobs = jobs;
        _results = results;
        _pool = pool;
        _node = node;
        _backlog = backlog;
        _delivery = delivery;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private FrontCounters Counters => _intake.Counters;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case byte[] frame:
                OnReceive(ProtocolCodec.Decode(frame));
                break;
            case Wake:
                Admit();
                break;
            case Submit submit:
                SubmitMessage(submit);
                break;
            case DispatchNow:
                Dispatch();
                break;
            case Results results:
                Settle(results.Items, results.Credit);
                break;
            case LocalResults results:
                Settle(results.Items, results.Credit);
                break;
            case Grant grant:
                if (_agents.TryGetValue(Sender, out var granted) && !granted.Leaving)
                {
                    granted.Credit += grant.Credit;
                    granted.Granted += grant.Credit;
                    ScheduleDispatch();
                }

                break;
            case Hello hello:
                Welcome(hello);
                break;
            case Leaving leaving:
                if (_agents.TryGetValue(Sender, out var leaver))
                {
                    leaver.Leaving = true;
                    leaver.Credit = 0;
                    _log.Info("Cluster pool {0}: node {1} is leaving; it finishes the {2} job(s) it holds and gets no more.", _pool, leaving.Node, leaver.InFlight.Count);
                }

                break;
            case Terminated terminated:
                NodeLost(terminated.ActorRef);
                break;
            case CancelPending cancel:
                CancelByCaller(cancel.Job);
                break;
            case GetFrontView view:
                view.Reply.TrySetResult(new FrontView([.. _agents.Select(a => new AgentView(a.Key, a.Value.Node, a.Value.InFlight.Count, a.Value.Done, a.Value.Leaving))]));
                break;
            case StopFront stop:
                BeginStop(stop);
                break;
            case StopDeadlinePassed:
                CutOff("the stop deadline passed");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Takes the jobs callers queued: each gets its sequence and waits for a node.</summary>
    private void Admit()
    {
        _intake.Rearm(); // before draining: a job queued after this point sends a new Wake
        while (_intake.TryTake(out var job))
        {
            if (job.IsSettled)
            {
                _intake.Release(job); // its caller cancelled it on the way here
                continue;
            }

            if (_stopping is not null)
            {
                Reject(job, $"Cluster pool '{_pool}' is stopping on node {_node}.");
                continue;
            }

            Enqueue(job);
        }

        ScheduleDispatch();
    }

    private void SubmitMessage(Submit submit)
    {
        Counters.CountSubmitted();
        var replyTo = Sender;
        if (submit.JobMessage is not { } body)
        {
            replyTo.Tell(new JobRejected(submit.JobId, $"Cluster pool '{_pool}' takes job messages only (Submit.Message): a closure cannot cross nodes."), Self);
            Counters.CountRejected();
            return;
        }

        if (_stopping is not null || _waiting.Count + _retry.Count >= _backlog)
        {
            replyTo.Tell(new JobRejected(submit.JobId, _stopping is not null
                ? $"Cluster pool '{_pool}' is stopping on node {_node}."
                : $"Cluster pool '{_pool}': the backlog on node {_node} is full ({_backlog} jobs)."), Self);
            Counters.CountRejected();
            return;
        }

        if (!_jobs.TryAdmit(body, out var payload, out var error))
        {
            replyTo.Tell(new JobRejected(submit.JobId, error), Self);
            Counters.CountRejected();
            return;
        }

        Enqueue(new MessagePendingJob(submit.JobId, replyTo, Self, payload, body, System.Diagnostics.Activity.Current?.Id));
        ScheduleDispatch();
    }

    private void Enqueue(PendingJob job)
    {
        job.Sequence = ++_nextSequence;
        _pending.Add(job.Sequence, job);
        _waiting.Enqueue(job);
    }

    private void ScheduleDispatch()
    {
        if (!_dispatchScheduled && AnyAgentReady(_waiting.Count + _retry.Count))
        {
            _dispatchScheduled = true;
            Self.Tell(DispatchNow.Instance);
        }
    }

    private void Reject(PendingJob job, string reason)
    {
        _intake.Release(job);
        if (job.Reject(reason))
        {
            Counters.CountRejected();
        }
    }

    private void Cancel(PendingJob job, string reason)
    {
        _intake.Release(job);
        if (job.Cancel(reason))
        {
            Counters.CountCancelled();
        }
    }

    private void CancelByCaller(PendingJob job)
    {
        if (job.IsSettled)
        {
            return;
        }

        if (job.Node is { } node && _agents.TryGetValue(node, out var agent))
        {
            // The node runs it: tell it to cancel; its result still comes back (and returns the credit), then is ignored.
            node.Send(new CancelJobs([job.Sequence]), Self);
            Cancel(job, $"Cancelled by its caller while node {agent.Node} ran it.");
            return;
        }

        Cancel(job, "Cancelled by its caller before a node took it.");
        if (job.Sequence != 0)
        {
            _pending.Remove(job.Sequence); // it stays in the waiting queue, where dispatch skips settled jobs
        }

        CheckStopped();
    }

    protected override void PostStop()
    {
        _intake.Close();
        var cancels = new Dictionary<IActorRef, List<long>>();
        foreach (var job in _pending.Values)
        {
            if (job.Node is { } node)
            {
                (cancels.TryGetValue(node, out var list) ? list : cancels[node] = []).Add(job.Sequence);
            }

            Cancel(job, $"Cluster pool '{_pool}' stopped on node {_node} before the job ended.");
        }

        foreach (var (node, sequences) in cancels)
        {
            node.Send(new CancelJobs([.. sequences]), ActorRefs.NoSender);
        }

        _pending.Clear();
        _stopping?.Finish(Counters, deadlineReached: false, running: 0); // no-op when the stop already finished
    }
}
