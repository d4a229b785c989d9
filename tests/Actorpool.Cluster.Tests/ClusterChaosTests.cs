using System.Globalization;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Supervision;
using Actorpool.Cluster.Pools;
using Xunit.Abstractions;
using static Actorpool.Cluster.Tests.ClusterPoolTestKit;

namespace Actorpool.Cluster.Tests;

/// <summary>
/// Chaos across nodes, round after round, each round a fresh cluster: two submitting nodes, jobs that fail or are
/// cancelled at random, a node killed mid-run (no leave) and a node joining mid-run, at random, under either delivery.
/// After every round each job has exactly one outcome, of a kind its delivery allows, and each submitter's counters
/// balance and match what its callers saw. Two rounds in CI; set ACTORPOOL_CLUSTER_SOAK_MINUTES to run rounds for
/// that long.
/// </summary>
public sealed class ClusterChaosTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(120);

    [Fact(Timeout = 60 * 60 * 1000)]
    public async Task ClusterChaos_KillsJoinsFailuresAndCancels_EveryJobGetsExactlyOneOutcome()
    {
        var soak = Environment.GetEnvironmentVariable("ACTORPOOL_CLUSTER_SOAK_MINUTES");
        var duration = soak is null ? TimeSpan.Zero : TimeSpan.FromMinutes(double.Parse(soak, CultureInfo.InvariantCulture));
        if (Environment.GetEnvironmentVariable("ACTORPOOL_CLUSTER_CHAOS_ROUND") is { } only)
        {
            // Reproduces one round of a failed run: each round's choices come from its number alone.
            var round = int.Parse(only, CultureInfo.InvariantCulture);
            await RunRoundAsync(round, new Random(round * 7919));
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < 2 || clock.Elapsed < duration; round++)
        {
            await RunRoundAsync(round, new Random(round * 7919));
        }
    }

    private async Task RunRoundAsync(int round, Random random)
    {
        // The CI rounds cover both deliveries, each with a kill, and a join in the second; later rounds draw them.
        var delivery = round switch { 0 => Delivery.AtLeastOnce, 1 => Delivery.AtMostOnce, _ => random.Next(2) == 0 ? Delivery.AtLeastOnce : Delivery.AtMostOnce };
        var credit = random.Next(1, 9);
        var kill = round < 2 || random.Next(3) > 0;
        var join = round == 1 || random.Next(2) == 0;
        await using var nodes = await ClusterNodes.StartAsync(3, killable: 2);
        // A restart budget the round's failures cannot exhaust: a pool killed by its panic policy takes its node out of the
        // cluster pool (NodePoolKilled_ItsJobsGoElsewhere covers that), and a round could end with no worker node left.
        var panic = PanicPolicy.Respawn(new RestartBudget(10_000, TimeSpan.FromMinutes(1)));
        var pools = nodes.Nodes.Select(n => n.SpawnClusterPool(Definition(n, delivery: delivery, credit: credit, panic: panic))).ToList();
        await WaitForNodesAsync(pools[0], 3);
        await WaitForNodesAsync(pools[1], 3);

        const int perSubmitter = 250;
        var cancels = new List<CancellationTokenSource>();
        var jobs = new List<(int Submitter, Work Work, Task<Ran> Task)>();
        for (var i = 0; i < perSubmitter * 2; i++)
        {
            var submitter = i % 2;
            var work = new Work(i, random.Next(0, 20), Fail: random.Next(20) == 0);
            var cancel = random.Next(10) == 0 ? new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, 200))) : null;
            if (cancel is not null)
            {
                cancels.Add(cancel);
            }

            jobs.Add((submitter, work, pools[submitter].RunAsync(work, cancel?.Token ?? default)));
        }

        var killAt = random.Next(10, 40) * jobs.Count / 100;
        await ClusterNodes.WaitUntilAsync(() => jobs.Count(j => j.Task.IsCompleted) >= killAt, Watchdog, $"round {round}: {killAt} jobs ended");
        if (join)
        {
            var joined = await nodes.AddAsync();
            joined.SpawnClusterPool(Definition(joined, delivery: delivery, credit: credit, panic: panic));
        }

        if (kill)
        {
            await nodes.KillAsync(2);
        }

        try
        {
            await Task.WhenAll(jobs.Select(j => j.Task.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Watchdog);
        }
        catch (TimeoutException)
        {
            var stuck = jobs.Where(j => !j.Task.IsCompleted).ToList();
            var views = await Task.WhenAll(pools.Take(2).Select(p => p.GetClusterStatsAsync()));
            throw new TimeoutException($"round {round} ({delivery}, credit {credit}, kill {kill}, join {join}): {stuck.Count} job(s) without an outcome " +
                $"after {Watchdog} (ids {string.Join(",", stuck.Take(20).Select(j => $"{j.Submitter}:{j.Work.Id}"))}); submitters: {string.Join(" | ", views.Select(v => $"{v} nodes {string.Join("; ", v.Nodes)}"))}");
        }

        for (var submitter = 0; submitter < 2; submitter++)
        {
            var mine = jobs.Where(j => j.Submitter == submitter).ToList();
            var completed = mine.Count(j => j.Task.IsCompletedSuccessfully);
            var cancelled = mine.Count(j => j.Task.Exception?.GetBaseException() is JobCancelledException);
            var injected = mine.Count(j => j.Task.Exception?.GetBaseException() is RemoteJobException { RemoteType: "System.InvalidOperationException" });
            var lost = mine.Count(j => j.Task.Exception?.GetBaseException() is NodeLostException);
            var other = mine.Where(j => j.Task.IsFaulted && j.Task.Exception!.GetBaseException() is not (JobCancelledException or RemoteJobException { RemoteType: "System.InvalidOperationException" } or NodeLostException)).ToList();
            Assert.True(other.Count == 0, $"round {round}: unexpected outcomes: {string.Join("; ", other.Select(o => o.Task.Exception!.GetBaseException().Message))}");
            Assert.All(mine.Where(j => j.Task.IsCompletedSuccessfully), j => Assert.Equal(j.Work.Id, j.Task.Result.Id));
            Assert.All(mine.Where(j => j.Task.IsCompletedSuccessfully), j => Assert.False(j.Work.Fail, $"job {j.Work.Id} was to fail"));
            if (delivery == Delivery.AtLeastOnce)
            {
                Assert.Equal(0, lost);
            }

            var stats = await pools[submitter].GetClusterStatsAsync();
            AssertSettled(stats, perSubmitter);
            Assert.Equal(completed, stats.Completed);
            Assert.Equal(cancelled, stats.Cancelled);
            Assert.Equal(injected + lost, stats.Failed);
            Assert.Equal(0, stats.Rejected);
            output.WriteLine($"round {round} ({delivery}, credit {credit}, kill {kill}, join {join}) submitter {submitter}: " +
                $"{completed} completed, {injected} failed in the job, {lost} lost with their node, {cancelled} cancelled; " +
                $"{stats.Redispatched} re-dispatched, {stats.NodesLost} node(s) lost");
        }

        foreach (var cancel in cancels)
        {
            cancel.Dispose();
        }
    }
}
