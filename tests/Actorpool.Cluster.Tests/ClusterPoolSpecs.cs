using Actorpool.Actors.Jobs;
using Actorpool.Actors.Supervision;
using Actorpool.Cluster.Pools;
using static Actorpool.Cluster.Tests.ClusterPoolTestKit;

namespace Actorpool.Cluster.Tests;

/// <summary>A cluster pool on three real loopback nodes.</summary>
public sealed class ClusterPoolSpecs
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(120);

    [Fact(Timeout = 180_000)]
    public async Task Jobs_SubmittedOnOneNode_RunOnEveryNodeAndEachGetsItsResult()
    {
        await using var nodes = await ClusterNodes.StartAsync(3);
        var pools = nodes.Nodes.Select(n => n.SpawnClusterPool(Definition(n))).ToList();
        await WaitForNodesAsync(pools[0], 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => pools[0].RunAsync(new Work(i, 5)))).WaitAsync(Watchdog);

        Assert.Equal(Enumerable.Range(0, 300), results.Select(r => r.Id).Order());
        var byNode = results.GroupBy(r => r.Node).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, byNode.Count);
        var stats = await pools[0].GetClusterStatsAsync();
        AssertSettled(stats, 300);
        Assert.Equal(300, stats.Completed);
        Assert.Equal(300, stats.Nodes.Sum(n => n.Done));
        Assert.All(stats.Nodes, n => Assert.Equal(byNode[n.Node], n.Done));
    }

    [Fact(Timeout = 180_000)]
    public async Task Work_IsPulled_SoASlowNodeDoesLess()
    {
        await using var nodes = await ClusterNodes.StartAsync(3);
        var slow = Address(nodes[2]);
        var pools = nodes.Nodes.Select((n, i) => n.SpawnClusterPool(Definition(n, slowdown: i == 2 ? 8 : 1))).ToList();
        await WaitForNodesAsync(pools[0], 3);

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => pools[0].RunAsync(new Work(i, 4)))).WaitAsync(Watchdog);

        var byNode = results.GroupBy(r => r.Node).ToDictionary(g => g.Key, g => g.Count());
        var fast = byNode.Where(p => p.Key != slow).Select(p => p.Value).ToList();
        Assert.All(fast, count => Assert.True(count > 2 * byNode.GetValueOrDefault(slow), $"the slow node ran {byNode.GetValueOrDefault(slow)} jobs, a fast one {count}"));
        AssertSettled(await pools[0].GetClusterStatsAsync(), 400);
    }

    [Theory(Timeout = 180_000)]
    [InlineData(Delivery.AtLeastOnce)]
    [InlineData(Delivery.AtMostOnce)]
    public async Task NodeKilledMidRun_EveryJobGetsOneOutcome_AndNoneIsLost(Delivery delivery)
    {
        await using var nodes = await ClusterNodes.StartAsync(3, killable: 2);
        var pools = nodes.Nodes.Select(n => n.SpawnClusterPool(Definition(n, delivery: delivery))).ToList();
        await WaitForNodesAsync(pools[0], 3);

        const int jobs = 300;
        var tasks = Enumerable.Range(0, jobs).Select(i => pools[0].RunAsync(new Work(i, 20))).ToList();
        await ClusterNodes.WaitUntilAsync(() => tasks.Count(t => t.IsCompleted) >= jobs / 4, Watchdog, "a quarter of the jobs ended");
        await nodes.KillAsync(2);
        await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }))).WaitAsync(Watchdog);

        var stats = await pools[0].GetClusterStatsAsync();
        AssertSettled(stats, jobs);
        Assert.Equal(1, stats.NodesLost);
        var lost = tasks.Count(t => t.Exception?.GetBaseException() is NodeLostException);
        if (delivery == Delivery.AtLeastOnce)
        {
            Assert.Equal(jobs, stats.Completed);
            Assert.True(stats.Redispatched > 0, "the killed node held jobs: they ran again elsewhere");
            Assert.Equal(0, lost);
        }
        else
        {
            Assert.Equal(0, stats.Redispatched);
            Assert.True(lost > 0, "the killed node held jobs: they failed with NodeLostException");
            Assert.Equal(jobs, stats.Completed + lost);
            Assert.Equal(lost, stats.Failed);
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task NodeJoiningMidRun_TakesWork()
    {
        await using var nodes = await ClusterNodes.StartAsync(2);
        var pools = nodes.Nodes.Select(n => n.SpawnClusterPool(Definition(n))).ToList();
        await WaitForNodesAsync(pools[0], 2);

        var tasks = Enumerable.Range(0, 400).Select(i => pools[0].RunAsync(new Work(i, 10))).ToList();
        var joined = await nodes.AddAsync();
        joined.SpawnClusterPool(Definition(joined));
        var results = await Task.WhenAll(tasks).WaitAsync(Watchdog);

        Assert.Contains(results, r => r.Node == Address(joined));
        AssertSettled(await pools[0].GetClusterStatsAsync(), 400);
    }

    [Fact(Timeout = 180_000)]
    public async Task GracefulLeave_FinishesTheJobsTheNodeHolds()
    {
        await using var nodes = await ClusterNodes.StartAsync(3);
        var pools = nodes.Nodes.Select(n => n.SpawnClusterPool(Definition(n))).ToList();
        await WaitForNodesAsync(pools[0], 3);
        var leaver = Address(nodes[2]);

        var tasks = Enumerable.Range(0, 300).Select(i => pools[0].RunAsync(new Work(i, 20))).ToList();
        await ClusterNodes.WaitUntilAsync(() => tasks.Count(t => t.IsCompleted) >= 50, Watchdog, "50 jobs ended");
        await Akka.Cluster.Cluster.Get(nodes[2]).LeaveAsync().WaitAsync(Watchdog);
        var results = await Task.WhenAll(tasks).WaitAsync(Watchdog);

        var stats = await pools[0].GetClusterStatsAsync();
        AssertSettled(stats, 300);
        Assert.Equal(300, stats.Completed);
        Assert.Equal(0, stats.Redispatched);
        Assert.Contains(results, r => r.Node == leaver);
    }

    [Fact(Timeout = 180_000)]
    public async Task SubmittingNodeShutdown_GivesEveryJobAnOutcome()
    {
        await using var nodes = await ClusterNodes.StartAsync(3);
        var pools = nodes.Nodes.Select(n => n.SpawnClusterPool(Definition(n))).ToList();
        await WaitForNodesAsync(pools[1], 3);

        var tasks = Enumerable.Range(0, 200).Select(i => pools[1].RunAsync(new Work(i, 10))).ToList();
        await nodes[1].Terminate().WaitAsync(Watchdog); // CoordinatedShutdown: the node drains what it submitted first
        await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }))).WaitAsync(Watchdog);

        var stats = await pools[1].GetClusterStatsAsync();
        AssertSettled(stats, 200);
        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully || t.Exception?.GetBaseException() is JobCancelledException, t.Exception?.ToString()));
    }

    [Fact(Timeout = 180_000)]
    public async Task NodePoolKilled_ItsJobsGoElsewhere_AndTheNodeTakesNoMore()
    {
        await using var nodes = await ClusterNodes.StartAsync(2);
        var submitter = nodes[0].SpawnClusterPool(Definition(nodes[0]));
        nodes[1].SpawnClusterPool(Definition(nodes[1], slowdown: FailEverything, panic: PanicPolicy.Kill));   // its first job kills its pool
        await WaitForNodesAsync(submitter, 2);

        var tasks = Enumerable.Range(0, 200).Select(i => submitter.RunAsync(new Work(i, 5))).ToList();
        await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Watchdog);

        var failed = tasks.Where(t => t.IsFaulted).ToList();
        Assert.InRange(failed.Count, 1, 2); // the job(s) that ran there before the kill; the rest it held ran on node 0
        Assert.All(failed, t => Assert.IsType<RemoteJobException>(t.Exception!.GetBaseException()));
        Assert.All(tasks.Where(t => t.IsCompletedSuccessfully), t => Assert.Equal(Address(nodes[0]), t.Result.Node));
        var stats = await submitter.GetClusterStatsAsync();
        AssertSettled(stats, 200);
        Assert.Equal(200 - failed.Count, stats.Completed);
        await ClusterNodes.WaitUntilAsync(() => submitter.GetClusterStatsAsync().Result.Nodes.Count == 1, Watchdog, "the node whose pool was killed is gone");
    }

    [Fact(Timeout = 180_000)]
    public async Task BatchedDispatch_NeverLeavesAWorkerIdleWhileJobsWait()
    {
        // 16 workers, one credit each: the submitter sends jobs in batches (an eighth of a node's credit) only where that
        // cannot leave a worker idle. With 15 workers held by long jobs, the 16th takes one of the next two at once.
        await using var nodes = await ClusterNodes.StartAsync(1);
        var pool = nodes[0].SpawnClusterPool(Definition(nodes[0], workers: 16, credit: 1));
        await WaitForNodesAsync(pool, 1);
        using var release = new CancellationTokenSource();
        var held = Enumerable.Range(0, 15).Select(i => pool.RunAsync(new Work(i, 600_000), release.Token)).ToList();
        await ClusterNodes.WaitUntilAsync(() => pool.GetClusterStatsAsync().Result.Nodes.Single().InFlight == 15, Watchdog, "15 long jobs on the node");

        var quick = new[] { pool.RunAsync(new Work(100, 0)), pool.RunAsync(new Work(101, 0)) };
        var first = await Task.WhenAny(quick).WaitAsync(Watchdog); // a job held back for a batch would wait for the long ones
        Assert.True(first.IsCompletedSuccessfully, first.Exception?.ToString());
        Assert.All(held, t => Assert.False(t.IsCompleted));

        await release.CancelAsync();
        await Task.WhenAll(held.Concat(quick).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Watchdog);
        Assert.All(quick, t => Assert.True(t.IsCompletedSuccessfully, t.Exception?.ToString()));
        Assert.All(held, t => Assert.IsType<JobCancelledException>(t.Exception!.GetBaseException()));
        var stats = await pool.GetClusterStatsAsync();
        AssertSettled(stats, 17);
        Assert.Equal(2, stats.Completed);
        Assert.Equal(15, stats.Cancelled);
    }

    [Fact(Timeout = 180_000)]
    public async Task OutcomesHeldBackForABatch_StillReturn_WhileTheNodeRunsALongJob()
    {
        // A stream of tiny jobs beside a long one: their outcomes go back in batches, and the last few (fewer than a
        // batch, with the long job still running there) are sent when the hold limit passes, not when the long job ends.
        // Prefetch 1: the node's pool hands no tiny job to the worker that holds the long one.
        await using var nodes = await ClusterNodes.StartAsync(1);
        var pool = nodes[0].SpawnClusterPool(Definition(nodes[0], workers: 2, credit: 32, prefetch: 1));
        await WaitForNodesAsync(pool, 1);
        using var release = new CancellationTokenSource();
        var longJob = pool.RunAsync(new Work(0, 600_000), release.Token);
        await ClusterNodes.WaitUntilAsync(() => pool.GetClusterStatsAsync().Result.Nodes.Single().InFlight == 1, Watchdog, "the long job on the node");

        for (var round = 0; round < 5; round++)
        {
            var tiny = Enumerable.Range(1 + (round * 203), 203).Select(i => pool.RunAsync(new Work(i, 0))).ToList();
            var results = await Task.WhenAll(tiny).WaitAsync(Watchdog);
            Assert.Equal(203, results.Length);
        }

        Assert.False(longJob.IsCompleted);
        await release.CancelAsync();
        await Assert.ThrowsAsync<JobCancelledException>(() => longJob.WaitAsync(Watchdog));
        var stats = await pool.GetClusterStatsAsync();
        AssertSettled(stats, 1 + (5 * 203));
        Assert.Equal(5 * 203, stats.Completed);
        Assert.Equal(1, stats.Cancelled);
    }
}
