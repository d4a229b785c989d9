using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Akka.Event;

namespace Actorpool.Testing.Tests;

/// <summary>Waiting for quiescence and the spec's balance assertions on a real pool: they pass when the pool is done and fail, with its stats, when it is not.</summary>
public sealed class QuiescenceSpecs : PoolSpec
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    private static PoolOptions<int> Options(string name) => new() { Name = name, Workers = 2, Init = index => index };

    [Fact(Timeout = 30_000)]
    public async Task WaitForQuiescence_ReturnsOnceEveryJobSubmittedThroughTheKitHasItsOutcome()
    {
        var pool = SpawnTestPool(Options("busy") with { Backlog = 200 });
        for (var i = 0; i < 200; i++)
        {
            var n = i;
            _ = pool.RunAsync(_ => n % 50 == 0 ? throw new InvalidOperationException($"job {n}") : n);
        }

        var stats = await WaitForQuiescenceAsync(pool);

        Assert.All(pool.Jobs, job => Assert.True(job.IsCompleted));
        Assert.Equal((200, 196, 4, 0, 0), (stats.Submitted, stats.Completed, stats.Failed, stats.Backlog, stats.Busy));
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task WaitForQuiescence_WhenAJobNeverEnds_FailsShowingTheStats()
    {
        var pool = SpawnTestPool(Options("stuck"));
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var stuck = pool.RunAsync(_ =>
        {
            started.Set();
            return gate.Wait(Watchdog);
        });
        Assert.True(started.Wait(Watchdog));

        var e = await Assert.ThrowsAsync<PoolAssertionException>(() => pool.WaitForQuiescenceAsync(TimeSpan.FromMilliseconds(300))).WaitAsync(Watchdog);

        Assert.StartsWith("Pool 'stuck' was not quiescent after 00:00:00.3000000: 1 of 1 job(s) submitted through the test pool have no outcome. Stats: submitted 1, completed 0,", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Contains("busy 1", StringComparison.Ordinal), e.Message);
        gate.Set();
        Assert.True(await stuck.WaitAsync(Watchdog));
        await WaitForQuiescenceAsync(pool);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task AssertBalanced_WhileAJobHasNoOutcome_FailsNamingIt()
    {
        var pool = SpawnTestPool(Options("unsettled"));
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        await pool.RunAsync(index => index).WaitAsync(Watchdog);
        var running = pool.RunAsync(_ =>
        {
            started.Set();
            return gate.Wait(Watchdog);
        });
        Assert.True(started.Wait(Watchdog));

        var e = await Assert.ThrowsAsync<PoolAssertionException>(() => AssertBalancedAsync(pool)).WaitAsync(Watchdog);

        Assert.StartsWith("Pool 'unsettled': 1 of 2 job(s) have no outcome (still queued or running): job(s) #2", e.Message, StringComparison.Ordinal);
        gate.Set();
        await running.WaitAsync(Watchdog);
        await WaitForQuiescenceAsync(pool);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task AssertBalanced_OnAPoolRef_ChecksTheCountersOfJobsNotSubmittedThroughTheKit()
    {
        var pool = SpawnTestPool(Options("plain"));
        var jobs = Enumerable.Range(0, 10).Select(i => pool.Pool.RunAsync(_ => i)).ToArray();
        await Task.WhenAll(jobs).WaitAsync(Watchdog);

        var stats = await AssertBalancedAsync(pool.Pool);

        Assert.Equal((10, 10), (stats.Submitted, stats.Completed));
        Assert.Empty(pool.Jobs); // submitted past the kit: not tracked
    }

    [Fact(Timeout = 30_000)]
    public async Task AssertBalanced_WhenAJobMessageBecameADeadLetter_FailsNamingIt()
    {
        var pool = SpawnTestPool(Options("dead"));
        await pool.RunAsync(index => index).WaitAsync(Watchdog);

        Sys.EventStream.Publish(new DeadLetter(Submit.Run<int>(7, state => state), TestActor, pool.Ref));
        await AwaitConditionAsync(() => Task.FromResult(DeadJobs.Count == 1), Watchdog);

        var e = await Assert.ThrowsAsync<PoolAssertionException>(() => AssertBalancedAsync(pool)).WaitAsync(Watchdog);
        Assert.Equal("1 job message(s) became dead letters: Submit.", e.Message);
    }
}
