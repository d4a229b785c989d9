using System.Diagnostics;
using Actorpool.Actors.Pools;
using Actorpool.Cluster.Pools;
using Actorpool.Cluster.Protocol;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace Actorpool.Cluster.Nodes;

/// <summary>
/// A worker node's side of a cluster pool: it runs the node's local pool, registers with the submitter of every
/// member (retrying until each answers), grants each its credit, runs the jobs it is sent, and returns their outcomes
/// in one message per burst with as much new credit. A slow node returns credit slowly and so is sent less.
/// </summary>
internal sealed partial class NodeAgent<TState, TJob, TResult> : UntypedActor, IWithTimers
    where TJob : notnull
{
    private readonly ClusterPoolOptions<TState, TJob, TResult> _options;
    private readonly PayloadCodec _jobs;
    private readonly PayloadCodec _results;
    private readonly string _frontName;
    private readonly string _node;
    private readonly Address _selfAddress;
    private readonly int _capacity;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    // Agent actor only, all of them.
    private readonly Dictionary<Address, Submitter> _submitters = [];
    private readonly Dictionary<IActorRef, Submitter> _byRef = [];
    private PoolRef<TState> _pool = null!;
    private long _executed;
    private long _failed;
    private readonly DoneQueue _doneQueue;
    private readonly TaskCompletionSource _stopped; // completed in PostStop: a stop of this node's workers need not wait for a dead agent
    private bool _leaving;
    private TaskCompletionSource<bool>? _left;
    private readonly int _holdBatch;   // outcomes worth a message while they stream (see Flush)
    private readonly Timer _holdTimer; // sends FlushHeld once HoldLimit after outcomes were held back
    private bool _holdArmed;

    /// <summary>Outcomes count as streaming while a submitter's last batch left less than this ago.</summary>
    private static readonly long StreamWindowTicks = Stopwatch.Frequency / 4000; // 250 µs

    /// <summary>The longest an outcome is held back for a batch.</summary>
    private static readonly TimeSpan HoldLimit = TimeSpan.FromMilliseconds(1);

    public NodeAgent(ClusterPoolOptions<TState, TJob, TResult> options, PayloadCodec jobs, PayloadCodec results, string frontName, TaskCompletionSource stopped)
    {
        _stopped = stopped;
        _options = options;
        _jobs = jobs;
        _results = results;
        _frontName = frontName;
        _selfAddress = Akka.Cluster.Cluster.Get(Context.System).SelfAddress;
        _node = _selfAddress.ToString();
        _capacity = Math.Max(1, options.Node.Workers) * options.CreditPerWorker;
        _holdBatch = Batching.Minimum(_capacity, Math.Max(1, options.Node.Workers));
        _doneQueue = new DoneQueue(Self);
        var self = Self;
        _holdTimer = new Timer(_ => self.Tell(FlushHeld.Instance), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _pool = Context.SpawnPool(_options.Node);
        Context.Watch(_pool.Ref); // a pool killed by its panic policy takes this node out of the cluster pool
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        Timers.StartPeriodicTimer(RegisterAgain.Instance, RegisterAgain.Instance, _options.RegisterInterval);
    }

    protected override void PostStop()
    {
        _holdTimer.Dispose();
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        foreach (var submitter in _submitters.Values)
        {
            submitter.CancelAll(_pool.Ref);
        }

        _left?.TrySetResult(true);
        _stopped.TrySetResult();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case byte[] frame:
                OnReceive(ProtocolCodec.Decode(frame));
                break;
            case Jobs jobs:
                Run(jobs.Items, local: false);
                break;
            case LocalJobs jobs:
                Run(jobs.Items, local: true);
                break;
            case FlushResults:
                Flush();
                break;
            case FlushHeld:
                _holdArmed = false;
                Flush(force: true);
                break;
            case CancelJobs cancel:
                if (_byRef.TryGetValue(Sender, out var asking))
                {
                    asking.Cancel(cancel.Sequences, _pool.Ref);
                }

                break;
            case ClusterEvent.MemberUp up:
                Register(up.Member.Address);
                break;
            case ClusterEvent.MemberRemoved removed:
                Forget(removed.Member.Address);
                break;
            case ClusterEvent.MemberLeft left when left.Member.Address == _selfAddress:
                BeginLeave(null);
                break;
            case ClusterEvent.MemberExited exited when exited.Member.Address == _selfAddress:
                BeginLeave(null);
                break;
            case ClusterEvent.IMemberEvent:
                break;
            case RegisterAgain:
                foreach (var submitter in _submitters.Values.Where(s => s.Ref is null))
                {
                    SendHello(submitter.Address);
                }

                break;
            case Welcome:
                Welcomed();
                break;
            case Terminated terminated when terminated.ActorRef.Equals(_pool.Ref):
                PoolDied();
                break;
            case Terminated terminated:
                if (_byRef.Remove(terminated.ActorRef, out var gone))
                {
                    // Its pool stopped there, or its node is gone: the results have nowhere to go.
                    gone.CancelAll(_pool.Ref);
                    gone.Ref = null;
                    gone.Sink = null;
                }

                break;
            case NodeStatsRequest:
                Report(Sender);
                break;
            case LeaveNode leave:
                BeginLeave(leave.Reply);
                break;
            case LeaveDeadlinePassed:
                foreach (var submitter in _submitters.Values)
                {
                    submitter.CancelAll(_pool.Ref);
                }

                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Register(Address address)
    {
        if (!_submitters.ContainsKey(address))
        {
            _submitters.Add(address, new Submitter(address));
            SendHello(address);
        }
    }

    private void SendHello(Address address) =>
        Context.ActorSelection(new RootActorPath(address) / "user" / _frontName).Send(new Hello(_node), Self);

    private void Welcomed()
    {
        var address = Sender.Path.Address.HasLocalScope ? _selfAddress : Sender.Path.Address;
        if (!_submitters.TryGetValue(address, out var submitter))
        {
            submitter = new Submitter(address);
            _submitters.Add(address, submitter);
        }

        if (submitter.Ref is not null)
        {
            return;
        }

        submitter.Ref = Sender;
        submitter.Sink = new OutcomeSink(Sender, _doneQueue, _pool);
        _byRef[Sender] = submitter;
        Context.Watch(Sender);
        Sender.Send(_leaving ? new Leaving(_node) : new Grant(_capacity), Self);
    }

    private void Forget(Address address)
    {
        if (_submitters.Remove(address, out var submitter))
        {
            submitter.CancelAll(_pool.Ref);
            if (submitter.Ref is { } front)
            {
                _byRef.Remove(front);
            }
        }
    }

    private void Report(IActorRef asker)
    {
        var executed = _executed;
        var failed = _failed;
        var leaving = _leaving;
        var node = _node;
        _pool.GetStatsAsync().PipeTo(asker, Self,
            stats => ProtocolCodec.Encode(new NodeStatsReply(node, stats.Workers, executed, failed, leaving)),
            _ => ProtocolCodec.Encode(new NodeStatsReply(node, -1, executed, failed, leaving)));
    }

    private void BeginLeave(TaskCompletionSource<bool>? reply)
    {
        if (reply is not null)
        {
            if (_left is not null && _left != reply)
            {
                _left.Task.ContinueWith(_ => reply.TrySetResult(true), TaskScheduler.Default);
            }
            else
            {
                _left = reply;
            }
        }

        if (_leaving)
        {
            CheckLeft();
            return;
        }

        _leaving = true;
        var held = _submitters.Values.Sum(s => s.Running.Count);
        _log.Info("Cluster pool {0}: node {1} leaves; it finishes the {2} job(s) it holds and takes no more.", _options.Name, _node, held);
        foreach (var front in _byRef.Keys)
        {
            front.Send(new Leaving(_node), Self);
        }

        Timers.StartSingleTimer(LeaveDeadlinePassed.Instance, LeaveDeadlinePassed.Instance, _options.StopDeadline);
        CheckLeft();
    }

    /// <summary>
    /// The node's pool stopped (killed by its panic policy): this node takes no more jobs. It tells every submitter it is
    /// leaving, sends the outcomes it has, and stops; each submitter's death watch then treats the jobs it still held
    /// as a lost node's.
    /// </summary>
    private void PoolDied()
    {
        _log.Warning("Cluster pool {0}: the pool on node {1} stopped ({2}); the node takes no more jobs.", _options.Name, _node, _pool.KillCause?.Message ?? "no kill cause");
        if (!_leaving)
        {
            _leaving = true;
            foreach (var front in _byRef.Keys)
            {
                front.Send(new Leaving(_node), Self);
            }
        }

        Flush(force: true);
        Context.Stop(Self);
    }

    private void CheckLeft()
    {
        if (_leaving && _left is not null && _submitters.Values.All(s => s.Running.Count == 0 && s.Results.Count == 0))
        {
            _left.TrySetResult(true);
        }
    }
}
