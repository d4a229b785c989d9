#region testing-pools
using Actorpool.Actors.Jobs;
using Actorpool.Testing;
using Xunit;
#endregion
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;

namespace Actorpool.Examples.Snippets;

#region testing-pools
public sealed class ThumbnailPoolSpec : PoolSpec   // Akka.TestKit.Xunit2's TestKit: Sys, probes, and a FakeTimeProvider (Time)
{
    [Fact(Timeout = 30_000)]
    public async Task AFailingWorker_CostsOneJob_AndEveryOtherJobCompletes()
    {
        var faults = new FaultPlan().FailNextJobOn(worker: 1);  // or FailNextJobs(n), FailNextInits(n), DelayNextJobs(t, n)
        var pool = SpawnTestPool(Thumbnails.Options("thumbnails"), faults);   // the app's own options, on Time

        var renders = Enumerable.Range(0, 50).Select(id => pool.RunAsync(t => t.Render(id))).ToArray();

        await WaitForQuiescenceAsync(pool);           // nothing queued or running (fails showing the stats)
        var stats = await AssertBalancedAsync(pool);  // submitted = completed + failed + rejected + cancelled, no job lost
        Assert.Equal(faults.Injected.Count, stats.Failed);   // each failure an InjectedFaultException naming its fault
        Assert.Equal(50 - stats.Failed, renders.Count(r => r.IsCompletedSuccessfully));
    }

    [Fact(Timeout = 30_000)]
    public async Task ARenderSlowerThanTheJobTimeout_IsCancelled()
    {
        var faults = new FaultPlan().DelayNextJobs(TimeSpan.FromMinutes(1));   // waits on the pool's (fake) clock
        var pool = SpawnTestPool(Thumbnails.Options("slow") with { JobTimeout = TimeSpan.FromSeconds(10) }, faults);

        var render = pool.RunAsync((t, token) => ValueTask.FromResult(t.Render(1)));
        await AwaitConditionAsync(() => Task.FromResult(faults.Injected.Count == 1));   // the delay has begun
        Time.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<JobCancelledException>(() => render);
        await AssertBalancedAsync(pool);
    }
}
#endregion

/// <summary>Stands in for the app's code: how it builds its thumbnail pool (the spec tests these very options).</summary>
public static class Thumbnails
{
    /// <summary>The pool's options: two workers, each with its own <see cref="Thumbnailer"/>, respawned when they fail.</summary>
    public static PoolOptions<Thumbnailer> Options(string name) => new()
    {
        Name = name,
        Workers = 2,
        Init = index => new Thumbnailer(index),
        Panic = PanicPolicy.Respawn(),
    };
}
