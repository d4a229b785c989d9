using System.Diagnostics;
using Akka.Actor;
using Akka.Remote;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// 10,000 jobs of 1 ms (Thread.Sleep, so the run lasts a few seconds and every node is mid-run at the kill) submitted
/// on the first of three loopback nodes (2 workers each); when 30% have an outcome the third node is killed (its
/// remoting, then its actor system, stopped without a leave) and the other two down it through the split-brain
/// resolver (heartbeat 250 ms, acceptable pause 3 s, stable-after 2 s). The metric is the jobs that never got an
/// outcome: the router's replies still missing once the dead node is removed and no reply came for 2 s; the cluster
/// pool's jobs that did not complete (at-least-once: the lost node's jobs run again elsewhere). The progress lines give
/// each trial's time from the kill to the last outcome (for the pool: the time to re-dispatch) and the re-dispatch
/// counts.
/// </summary>
public sealed class ClusterNodeKillScenario : Scenario
{
    private const int Jobs = 10_000;
    private const int KillAt = Jobs * 3 / 10;
    private const int JobMs = 1;
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);
    private long _poolLostMost; // the most jobs the pool lost in any trial (trials run one at a time)

    public override string Name => "cluster-node-kill";

    public override string Metric => "jobs lost";

    public override bool HigherIsBetter => false;

    public override string Target => "0 lost in every trial";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => _poolLostMost == 0;

    // Every run forms a 3-node cluster and waits out a failure detection: no warm-up round.
    public override int WarmupRounds => 0;

    public override int Trials(bool quick) => quick ? 3 : 5;

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Akka ClusterRouterPool(rr, 3x2)", true, RunRouter),
        new("Actorpool ClusterPool(3x2)", false, RunPool),
    ];

    /// <summary>
    /// Kills a node as a crash would: its remoting stops first, then its actor system (no CoordinatedShutdown, no
    /// Leave). A plain <c>Terminate</c> would stop the node's actors while the connections still work, and their
    /// DeathWatch notifications would tell the other nodes at once: that is a stop, not a crash. Returns when the kill
    /// began.
    /// </summary>
    private static long Kill(ActorSystem node)
    {
        var killed = Stopwatch.GetTimestamp();
        var remoting = ((IRemoteActorRefProvider)((ExtendedActorSystem)node).Provider).Transport;
        if (!remoting.Shutdown().Wait(ClusterBench.FormTimeout) || !node.Terminate().Wait(ClusterBench.FormTimeout))
        {
            throw new TimeoutException($"The killed node did not terminate within {ClusterBench.FormTimeout}.");
        }

        return killed;
    }

    private static void WaitForKillPoint(Task reached, Func<int> done)
    {
        if (!reached.Wait(ClusterBench.RunTimeout))
        {
            throw new TimeoutException($"Only {done()} of {Jobs} jobs ended within {ClusterBench.RunTimeout}, before the kill.");
        }
    }

    private double RunRouter() => ClusterBench.OnNewNodes(3, nodes =>
    {
        var router = ClusterBench.SpawnRouter(nodes);
        var count = new ReplyCount(Jobs, KillAt);
        var collector = nodes[0].ActorOf(Props.Create(() => new ReplyCollector(count)), "collector");
        for (var i = 0; i < Jobs; i++)
        {
            router.Tell(new ClusterJob(i, JobMs), collector);
        }

        WaitForKillPoint(count.Reached, () => count.Received);
        var dead = Akka.Cluster.Cluster.Get(nodes[2]).SelfAddress;
        var killed = Kill(nodes[2]);
        var cluster = Akka.Cluster.Cluster.Get(nodes[0]);
        ClusterBench.WaitUntil(() => count.Received == Jobs ||
                                     (cluster.State.Members.All(m => m.Address != dead) && Stopwatch.GetElapsedTime(count.LastReply) > Quiet),
            ClusterBench.RunTimeout, "the router got every reply or the killed node was removed");
        var lost = Jobs - count.Received;
        Progress.WriteLine($"      router: {lost} lost, kill to last reply {Stopwatch.GetElapsedTime(killed, count.LastReply).TotalSeconds:F2} s");
        return lost;
    });

    private double RunPool() => ClusterBench.OnNewNodes(3, nodes =>
    {
        var pool = ClusterBench.SpawnPools(nodes, backlog: Jobs);
        var done = 0;
        long last = 0;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new Task<ClusterReply>[Jobs];
        for (var i = 0; i < Jobs; i++)
        {
            tasks[i] = pool.RunAsync(new ClusterJob(i, JobMs));
            tasks[i].ContinueWith(_ =>
            {
                Volatile.Write(ref last, Stopwatch.GetTimestamp());
                if (Interlocked.Increment(ref done) == KillAt)
                {
                    reached.TrySetResult();
                }
            }, TaskContinuationOptions.ExecuteSynchronously);
        }

        WaitForKillPoint(reached.Task, () => Volatile.Read(ref done));
        var killed = Kill(nodes[2]);
        if (!Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskContinuationOptions.ExecuteSynchronously))).Wait(ClusterBench.RunTimeout))
        {
            throw new TimeoutException($"{tasks.Count(t => !t.IsCompleted)} of {Jobs} jobs got no outcome within {ClusterBench.RunTimeout} of the kill.");
        }

        var lost = tasks.Count(t => !t.IsCompletedSuccessfully);
        var stats = pool.GetClusterStatsAsync().Result;
        if (stats.Submitted != Jobs || stats.Pending != 0 || stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled != Jobs || stats.Completed != Jobs - lost)
        {
            throw new InvalidOperationException($"The pool's counts do not add up: submitted {stats.Submitted}, completed {stats.Completed}, failed {stats.Failed}, " +
                                                $"rejected {stats.Rejected}, cancelled {stats.Cancelled}, pending {stats.Pending}, {lost} tasks without a result.");
        }

        _poolLostMost = Math.Max(_poolLostMost, lost);
        Progress.WriteLine($"      pool: {lost} lost, kill to last outcome {Stopwatch.GetElapsedTime(killed, Volatile.Read(ref last)).TotalSeconds:F2} s, " +
                           $"nodes lost {stats.NodesLost}, re-dispatched {stats.Redispatched}, duplicates {stats.Duplicates}");
        return lost;
    });
}
