using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Cluster.Pools;
using Akka.Actor;
using Akka.Cluster.Routing;
using Akka.Configuration;
using Akka.Routing;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// A job of the cluster scenarios: it blocks its thread for <see cref="SleepMs"/> (0: a tiny job). It crosses nodes
/// through Akka's Newtonsoft.Json serializer on both sides.
/// </summary>
public sealed record ClusterJob(int Id, int SleepMs);

/// <summary>The reply to a <see cref="ClusterJob"/>, the same on both sides: the router's routee sends it, the cluster pool's handler returns it.</summary>
public sealed record ClusterReply(int Id);

/// <summary>
/// Shared pieces of the cluster scenarios: loopback nodes in this process (127.0.0.1, port 0, joined in code, short
/// failure-detector and split-brain-resolver timeouts), the job's work, the cluster pool definition and the
/// <c>ClusterRouterPool</c> peer with a collector actor that counts replies. Every trial starts its own nodes and
/// shuts them down, so neither system sees the other's leftovers.
/// </summary>
internal static class ClusterBench
{
    public static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);
    // Stopwatch ticks the jobs actually slept, on every node (all nodes are in this process).
    private static long _sleptTicks;

    /// <summary>The work both systems run: Thread.Sleep for the job's time, nothing for a tiny job.</summary>
    public static void Work(ClusterJob job)
    {
        if (job.SleepMs > 0)
        {
            var start = Stopwatch.GetTimestamp();
            Thread.Sleep(job.SleepMs);
            Interlocked.Add(ref _sleptTicks, Stopwatch.GetTimestamp() - start);
        }
    }

    public static void ResetSlept() => Volatile.Write(ref _sleptTicks, 0);

    public static TimeSpan Slept => Stopwatch.GetElapsedTime(0, Volatile.Read(ref _sleptTicks));

    /// <summary>
    /// A node's config (logging off: a failed trial surfaces as an exception, and the teardown's disassociation
    /// errors are expected). Coordinated shutdown does not run on Terminate: a terminated node vanishes without leaving
    /// (the node-kill scenario's abrupt kill; the others are torn down the same way after the jobs are done).
    /// Each node's pool workers get dispatcher threads of their own, as many as the machine has cores, as each node
    /// would on a machine of its own: by default every pool of the process shares one work-stealing pool
    /// (<c>WorkStealingPool.Default</c>, one thread per core), so the nodes in this process would run their 4 workers on
    /// 2 threads, and a job that blocks its thread (the skewed row's 2 ms sleeps) would block half of the cluster's.
    /// </summary>
    private static Config NodeConfig() => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = OFF
          stdout-loglevel = OFF
          log-dead-letters = 0
          log-dead-letters-during-shutdown = off
          actor.provider = cluster
          remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
          remote.log-remote-lifecycle-events = off
          cluster {
            log-info = off
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver { active-strategy = keep-majority, stable-after = 2s }
            failure-detector { heartbeat-interval = 250ms, acceptable-heartbeat-pause = 3s, threshold = 8.0 }
            unreachable-nodes-reaper-interval = 250ms
            gossip-interval = 200ms
            leader-actions-interval = 200ms
            periodic-tasks-initial-delay = 100ms
            retry-unsuccessful-join-after = 1s
          }
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          coordinated-shutdown.run-by-actor-system-terminate = off
        }
        actorpool.work-stealing-dispatcher.work-stealing.threads = {{Environment.ProcessorCount}}
        """);

    /// <summary>Starts <paramref name="count"/> nodes, joins them to the first and waits until every node sees all Up.</summary>
    public static List<ActorSystem> StartNodes(int count)
    {
        var nodes = new List<ActorSystem>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var node = ActorSystem.Create("bench", NodeConfig());
                nodes.Add(node);
                var seed = Akka.Cluster.Cluster.Get(nodes[0]).SelfAddress;
                if (!Akka.Cluster.Cluster.Get(node).JoinAsync(seed).Wait(FormTimeout))
                {
                    throw new TimeoutException($"Node {i} did not join the cluster within {FormTimeout}.");
                }
            }

            WaitUntil(() => nodes.All(n => Akka.Cluster.Cluster.Get(n).State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == count),
                FormTimeout, $"every node sees {count} members Up");
            return nodes;
        }
        catch
        {
            Shutdown(nodes);
            throw;
        }
    }

    /// <summary>Terminates every node at once (no graceful leave: the trial is over) and waits for them.</summary>
    public static void Shutdown(IEnumerable<ActorSystem> nodes)
    {
        var stopped = nodes.Select(n => n.Terminate()).ToArray();
        if (!Task.WhenAll(stopped).Wait(FormTimeout))
        {
            throw new TimeoutException($"The cluster nodes did not terminate within {FormTimeout}.");
        }
    }

    /// <summary>Runs one trial on <paramref name="count"/> freshly started nodes and shuts them down after it, whatever happened.</summary>
    public static double OnNewNodes(int count, Func<List<ActorSystem>, double> trial)
    {
        var nodes = StartNodes(count);
        try
        {
            return trial(nodes);
        }
        finally
        {
            Shutdown(nodes);
        }
    }

    /// <summary>Submits jobs 0..<paramref name="jobs"/> through <c>RunAsync</c> and waits (bounded) until every one has its result.</summary>
    public static Task<ClusterReply>[] RunAll(ClusterPool<ClusterJob, ClusterReply> pool, int jobs, Func<int, ClusterJob> job)
    {
        var tasks = new Task<ClusterReply>[jobs];
        for (var i = 0; i < jobs; i++)
        {
            tasks[i] = pool.RunAsync(job(i));
        }

        if (!Task.WhenAll(tasks).Wait(RunTimeout))
        {
            throw new TimeoutException($"The cluster pool finished {tasks.Count(t => t.IsCompleted)} of {jobs} jobs within {RunTimeout}.");
        }

        return tasks;
    }

    /// <summary>
    /// The credit per worker of the rows whose jobs are (mostly) tiny: 128 jobs in flight per worker, as a user with
    /// tiny jobs sets it. The default (32) does not cover the loopback round trip of the shared benchmark machine:
    /// with it these rows measured 0.6–0.7x the throughput and a ~1.3x worse makespan (bench/README.md).
    /// </summary>
    public const int TinyJobCredit = 128;

    /// <summary>
    /// Spawns the cluster pool on every node (2 workers each; <paramref name="creditPerWorker"/> jobs in flight per worker, null: the default) and
    /// waits until the first node's submitter knows them all.
    /// </summary>
    public static ClusterPool<ClusterJob, ClusterReply> SpawnPools(List<ActorSystem> nodes, int backlog, int? creditPerWorker = null)
    {
        ClusterPool<ClusterJob, ClusterReply>? first = null;
        foreach (var node in nodes)
        {
            var pool = node.SpawnClusterPool(new ClusterPoolOptions<object, ClusterJob, ClusterReply>
            {
                Node = new PoolOptions<object> { Name = "bench", Workers = 2, Init = _ => new object() },
                Handle = static (_, job, _) =>
                {
                    Work(job);
                    return ValueTask.FromResult(new ClusterReply(job.Id));
                },
                Backlog = backlog,
                CreditPerWorker = creditPerWorker ?? ClusterPoolDefaults.CreditPerWorker,
                Delivery = Delivery.AtLeastOnce,
                StopDeadline = TimeSpan.FromSeconds(5),
            });
            first ??= pool;
        }

        WaitUntil(() => first!.GetClusterStatsAsync().Result.Nodes.Count == nodes.Count, FormTimeout, $"{nodes.Count} worker nodes registered with the submitter");
        return first!;
    }

    /// <summary>
    /// The peer: a <c>ClusterRouterPool</c> (round robin, 2 routees per node, local routees allowed) deployed from the
    /// first node, once all its routees are up. Routees reply to the sender, a collector actor on the first node.
    /// </summary>
    public static IActorRef SpawnRouter(List<ActorSystem> nodes)
    {
        var total = 2 * nodes.Count;
        var router = nodes[0].ActorOf(Props.Create<ClusterRoutee>()
            .WithRouter(new ClusterRouterPool(new RoundRobinPool(total), new ClusterRouterPoolSettings(total, 2, true))), "router");
        WaitUntil(() => router.Ask<Routees>(GetRoutees.Instance, FormTimeout).Result.Members.Count() == total, FormTimeout,
            $"the router has {total} routees");
        return router;
    }

    /// <summary>
    /// What a timed region cost the whole process (both nodes run in it): CPU time, the methods the JIT compiled
    /// meanwhile with the time it took (tier-ups, or code met for the first time: a warm-up that missed it), the bytes
    /// allocated and the gen0 collections.
    /// </summary>
    public readonly record struct Cost(TimeSpan Cpu, long Methods, TimeSpan Jit, long Allocated, int Collections)
    {
        /// <summary>Waits until the JIT is quiet (<see cref="WaitForQuietJit"/>), then starts counting.</summary>
        public static Cost Start()
        {
            WaitForQuietJit();
            return Now();
        }

        private static Cost Now() => new(Environment.CpuUsage.TotalTime, System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime(), GC.GetTotalAllocatedBytes(), GC.CollectionCount(0));

        /// <summary>The progress line's part: CPU per job, share of the cores, JIT, allocation per job and gen0 GCs since <see cref="Start"/>.</summary>
        public string Describe(int jobs, TimeSpan elapsed)
        {
            var cpu = Environment.CpuUsage.TotalTime - Cpu;
            var methods = System.Runtime.JitInfo.GetCompiledMethodCount() - Methods;
            var jit = System.Runtime.JitInfo.GetCompilationTime() - Jit;
            return $", {cpu.TotalMicroseconds / jobs:F1} us CPU per job, {cpu / elapsed / Environment.ProcessorCount:P0} of the cores, " +
                   $"{methods} methods JIT-compiled in {jit.TotalMilliseconds:F1} ms, {(GC.GetTotalAllocatedBytes() - Allocated) / jobs} B allocated per job, {GC.CollectionCount(0) - Collections} gen0 GCs";
        }
    }

    /// <summary>
    /// Waits (at most 3 s) until no method was JIT-compiled for 300 ms. Each trial starts nodes and spawns actors, and
    /// the runtime tiers up that setup code in the background ~100 ms after it last met new code: without this wait
    /// those compilations (tens of methods, up to ~150 ms of CPU) land in the timed region of whichever system runs
    /// next. The same wait precedes both systems' timed regions.
    /// </summary>
    public static void WaitForQuietJit()
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 3;
        var last = System.Runtime.JitInfo.GetCompiledMethodCount();
        var quietSince = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(quietSince) < TimeSpan.FromMilliseconds(300) && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(20);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now != last)
            {
                last = now;
                quietSince = Stopwatch.GetTimestamp();
            }
        }
    }

    public static void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting until {what}.");
            }

            Thread.Sleep(20);
        }
    }
}

/// <summary>The router peer's routee: runs the job and replies with its id.</summary>
internal sealed class ClusterRoutee : ReceiveActor
{
    public ClusterRoutee() => Receive<ClusterJob>(job =>
    {
        ClusterBench.Work(job);
        Sender.Tell(new ClusterReply(job.Id));
    });
}

/// <summary>Counts replies on the collector's node; opens when all expected replies arrived.</summary>
internal sealed class ReplyCount(int expected, int signalAt = int.MaxValue)
{
    private readonly ManualResetEventSlim _done = new();
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received; // written by the collector actor only
    private long _last; // timestamp of the last reply

    public int Received => Volatile.Read(ref _received);

    public long LastReply => Volatile.Read(ref _last);

    /// <summary>Completes when <c>signalAt</c> replies arrived.</summary>
    public Task Reached => _reached.Task;

    public void Add()
    {
        var received = Interlocked.Increment(ref _received);
        Volatile.Write(ref _last, Stopwatch.GetTimestamp());
        if (received == signalAt)
        {
            _reached.TrySetResult();
        }

        if (received == expected)
        {
            _done.Set();
        }
    }

    /// <summary>Waits (bounded) until every expected reply arrived; the timeout names <paramref name="who"/> and the count.</summary>
    public void WaitAll(string who)
    {
        if (!_done.Wait(ClusterBench.RunTimeout))
        {
            throw new TimeoutException($"{who} answered {Received} of {expected} jobs within {ClusterBench.RunTimeout}.");
        }
    }
}

/// <summary>The actor the cluster pool's submitter answers when jobs are sent to it by message: counts completions, keeps the first other outcome.</summary>
internal sealed class OutcomeCollector : ReceiveActor
{
    public OutcomeCollector(ReplyCount count, StrongBox<JobOutcome?> firstOther)
    {
        Receive<JobCompleted>(_ => count.Add());
        Receive<JobOutcome>(outcome =>
        {
            firstOther.Value ??= outcome;
            count.Add();
        });
    }
}

/// <summary>The actor the router's routees reply to.</summary>
internal sealed class ReplyCollector : ReceiveActor
{
    public ReplyCollector(ReplyCount count) => Receive<ClusterReply>(_ => count.Add());
}
