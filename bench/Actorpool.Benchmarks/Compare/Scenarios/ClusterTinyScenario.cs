using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actorpool.Actors.Jobs;
using Actorpool.Cluster.Pools;
using Akka.Actor;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// 200k tiny jobs (50k with --quick) across two loopback nodes in this process (2 workers each), all submitted on the
/// first: Akka's <c>ClusterRouterPool</c> (round robin, routees on both nodes, replies counted by a collector actor)
/// against the cluster pool (work pulled by credit, <see cref="ClusterBench.TinyJobCredit"/> jobs in flight per worker,
/// one outcome per job), submitted through <c>RunAsync</c> and, as the
/// router is driven, by message with a collector actor. Jobs/s, submission included; every trial runs on freshly
/// started nodes. The progress lines give the process's CPU time per job.
/// </summary>
public sealed class ClusterTinyScenario : Scenario
{
    public override string Name => "cluster-200k-tiny";

    public override string Metric => "jobs/s";

    public override bool HigherIsBetter => true;

    public override string Target => "ratio >= 1.0 (200k jobs; 50k with --quick)";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1.0;

    private static int Jobs(bool quick) => quick ? 50_000 : 200_000;

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Akka ClusterRouterPool(rr, 2x2)", true, () => RunRouter(Jobs(quick))),
        new("Actorpool ClusterPool(2x2) RunAsync", false, () => RunPool(Jobs(quick), ClusterBench.TinyJobCredit)),
        new($"Actorpool ClusterPool(2x2) RunAsync, default credit ({ClusterPoolDefaults.CreditPerWorker})", false, () => RunPool(Jobs(quick), null)),
        new("Actorpool ClusterPool(2x2) Submit.Message", false, () => RunPoolByMessage(Jobs(quick))),
    ];

    /// <summary>Writes the process's CPU time per job (both nodes run in this process): is the run bound by per-job cost?</summary>
    private void WriteCpu(string system, int jobs, TimeSpan cpu, TimeSpan elapsed, string detail = "")
    {
        Progress.WriteLine($"      {system}: {cpu.TotalMicroseconds / jobs:F1} us CPU per job, {cpu / elapsed / Environment.ProcessorCount:P0} of the cores{detail}");
    }

    private double RunRouter(int jobs) => ClusterBench.OnNewNodes(2, nodes =>
    {
        var router = ClusterBench.SpawnRouter(nodes);
        var count = new ReplyCount(jobs);
        var collector = nodes[0].ActorOf(Props.Create(() => new ReplyCollector(count)), "collector");
        ClusterBench.WaitForQuietJit();
        var cpu = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs; i++)
        {
            router.Tell(new ClusterJob(i, 0), collector);
        }

        count.WaitAll("The router");

        var elapsed = Stopwatch.GetElapsedTime(start);
        WriteCpu("router", jobs, Environment.CpuUsage.TotalTime - cpu, elapsed);
        return jobs / elapsed.TotalSeconds;
    });

    private double RunPool(int jobs, int? creditPerWorker) => ClusterBench.OnNewNodes(2, nodes =>
    {
        var pool = ClusterBench.SpawnPools(nodes, backlog: jobs, creditPerWorker);
        ClusterBench.WaitForQuietJit();
        var cpu = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        var tasks = ClusterBench.RunAll(pool, jobs, i => new ClusterJob(i, 0));
        var elapsed = Stopwatch.GetElapsedTime(start);
        cpu = Environment.CpuUsage.TotalTime - cpu;
        for (var i = 0; i < jobs; i++)
        {
            if (tasks[i].Result.Id != i)
            {
                throw new InvalidOperationException($"Job {i} returned {tasks[i].Result}.");
            }
        }

        var stats = pool.GetClusterStatsAsync().Result;
        if (stats.Completed != jobs || stats.Pending != 0 || stats.Nodes.Any(n => n.Done == 0))
        {
            throw new InvalidOperationException($"Expected {jobs} jobs completed on both nodes, got {stats.Completed} completed, {stats.Pending} pending, " +
                                                $"per node {string.Join(", ", stats.Nodes.Select(n => n.Done))}.");
        }

        WriteCpu("pool", jobs, cpu, elapsed, $", jobs per node {string.Join(" / ", stats.Nodes.Select(n => n.Done))}");
        return jobs / elapsed.TotalSeconds;
    });

    // As the router is driven: jobs told to the submitter by message, outcomes counted by a collector actor (no task per job).
    private double RunPoolByMessage(int jobs) => ClusterBench.OnNewNodes(2, nodes =>
    {
        var pool = ClusterBench.SpawnPools(nodes, backlog: jobs, ClusterBench.TinyJobCredit);
        var count = new ReplyCount(jobs);
        var other = new StrongBox<JobOutcome?>();
        var collector = nodes[0].ActorOf(Props.Create(() => new OutcomeCollector(count, other)), "collector");
        ClusterBench.WaitForQuietJit();
        var cpu = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs; i++)
        {
            pool.Ref.Tell(Submit.Message(i, new ClusterJob(i, 0)), collector);
        }

        count.WaitAll("The cluster pool");

        var elapsed = Stopwatch.GetElapsedTime(start);
        cpu = Environment.CpuUsage.TotalTime - cpu;
        if (other.Value is { } outcome)
        {
            throw new InvalidOperationException($"A job did not complete: {outcome}.");
        }

        WriteCpu("pool by message", jobs, cpu, elapsed);
        return jobs / elapsed.TotalSeconds;
    });
}
