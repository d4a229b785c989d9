using System.Diagnostics;
using Akka.Actor;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// 10,000 jobs where every 100th blocks its thread for 2 ms, across two loopback nodes × 2 workers, submitted on the
/// first: the makespan as a multiple of the ideal, the slow jobs' measured total sleep divided by the 4 workers.
/// The slow work is <c>Thread.Sleep(2 ms)</c> on both sides, not a spin: the 4 workers share this process (and a
/// machine that may have 2 cores), so 4 spinning workers could not run at once and the ideal would be unreachable
/// for reasons that have nothing to do with where the jobs go; a sleeping worker holds its worker as a spinning one
/// does, and costs no core. Round robin sends every slow job to the same routee (100 is a multiple of 4); work
/// pulling gives them to whichever node has a free worker (credit <see cref="ClusterBench.TinyJobCredit"/> per worker:
/// 99 of 100 jobs are tiny).
/// </summary>
public sealed class ClusterMakespanScenario : Scenario
{
    private const int Jobs = 10_000;
    private const int Workers = 4;

    public override string Name => "cluster-skewed-makespan";

    public override string Metric => "x ideal";

    public override bool HigherIsBetter => false;

    /// <summary>
    /// Three warm-up rounds: a trial is ~100–300 ms of jobs between two cluster start-ups, and with one round code on
    /// both sides was still being tiered up (tens to hundreds of methods, up to ~150 ms of JIT) inside the timed trials.
    /// </summary>
    public override int WarmupRounds => 3;

    public override string Target => "<= 1.15x ideal";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => actorpoolMedian <= 1.15;

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Akka ClusterRouterPool(rr, 2x2)", true, RunRouter),
        new("Actorpool ClusterPool(2x2)", false, RunPool),
    ];

    private const int SlowMs = 2;

    private static ClusterJob Job(int i) => new(i, i % 100 == 0 ? SlowMs : 0);

    private double RunRouter() => ClusterBench.OnNewNodes(2, nodes =>
    {
        var router = ClusterBench.SpawnRouter(nodes);
        var count = new ReplyCount(Jobs);
        var collector = nodes[0].ActorOf(Props.Create(() => new ReplyCollector(count)), "collector");
        ClusterBench.ResetSlept();
        var cost = ClusterBench.Cost.Start();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < Jobs; i++)
        {
            router.Tell(Job(i), collector);
        }

        count.WaitAll("The router");

        var makespan = Stopwatch.GetElapsedTime(start);
        return Report("router", makespan, cost.Describe(Jobs, makespan));
    });

    private double RunPool() => ClusterBench.OnNewNodes(2, nodes =>
    {
        var pool = ClusterBench.SpawnPools(nodes, backlog: Jobs, ClusterBench.TinyJobCredit);
        ClusterBench.ResetSlept();
        var cost = ClusterBench.Cost.Start();
        var start = Stopwatch.GetTimestamp();
        var tasks = ClusterBench.RunAll(pool, Jobs, Job);
        var makespan = Stopwatch.GetElapsedTime(start);
        var spent = cost.Describe(Jobs, makespan);
        var stats = pool.GetClusterStatsAsync().Result;
        if (stats.Completed != Jobs || stats.Pending != 0 || tasks.Select(t => t.Result.Id).Distinct().Count() != Jobs)
        {
            throw new InvalidOperationException($"Expected {Jobs} distinct jobs completed, got {stats.Completed} completed, {stats.Pending} pending.");
        }

        return Report("pool", makespan, $"{spent}, jobs per node {string.Join(" / ", stats.Nodes.Select(n => n.Done))}");
    });

    private double Report(string system, TimeSpan makespan, string detail = "")
    {
        var ideal = ClusterBench.Slept / Workers;
        if (ideal < TimeSpan.FromMilliseconds(SlowMs) * (Jobs / 100) / Workers)
        {
            throw new InvalidOperationException($"The slow jobs slept {ClusterBench.Slept.TotalMilliseconds:F1} ms in all: some did not run.");
        }

        Progress.WriteLine($"      {system}: makespan {makespan.TotalMilliseconds:F1} ms, ideal {ideal.TotalMilliseconds:F1} ms{detail}");
        return makespan / ideal;
    }
}
