using Actorpool.Dynamic;
using Actorpool.Examples.Snippets;
using Actorpool.Hosting.Pools;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actorpool.Examples.Tests;

/// <summary>
/// The README snippets of examples/Snippets run to completion and compute what the README says they do (the dynamic
/// pool's snippet, which greets on the console for five seconds, is only compiled).
/// </summary>
public sealed class SnippetRunTests
{
    [Fact(Timeout = 30_000)]
    public async Task WorkStealingCore_JoinsSpawnsLoopsReduces_AndRunsOneStatePerThreadInTheScope()
    {
        using var pool = new WorkStealingPool(new() { Threads = 2 });
        var data = Enumerable.Range(1, 1000).Select(i => (long)i).ToArray();

        var result = await Task.Run(() => WorkStealingSnippets.Run(pool, data, 1000)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal((1, 2, 42L, 500_500L, 1), result);
    }

    [Fact(Timeout = 30_000)]
    public async Task ParallelQueries_GiveTheSumsAndMatchesTheReadmeStates()
    {
        using var pool = new WorkStealingPool(new() { Threads = 2 });
        double[] prices = [1, 5, 2, 8];
        LogEntry[] log = [new(false), new(true), new(false), new(true)];

        var (sum, big, at, dot) = await Task.Run(() => ParallelQuerySnippets.Run(pool, prices, 2, 5, log, [1, 2, 3], [4, 5, 6], CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(49_995_000, sum);
        Assert.Equal([10.0, 16.0], big);
        Assert.Equal(1, at);
        Assert.Equal(32.0, dot);
    }

    [Fact(Timeout = 60_000)]
    public async Task ActorPool_RunsSyncAndAsyncJobs_CountsThem_AndDrains()
    {
        using var system = ActorSystem.Create("snippets", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");

        var (row, page, stats) = await ActorPoolSnippets.RunAsync(system).WaitAsync(TimeSpan.FromSeconds(40));

        Assert.StartsWith("row /index from ", row, StringComparison.Ordinal);
        Assert.StartsWith("/index from ", page, StringComparison.Ordinal);
        Assert.Equal(0, stats.Failed + stats.Rejected + stats.Cancelled);
        Assert.InRange(stats.Submitted, 2, 3);
        Assert.InRange(stats.Completed, 2, stats.Submitted);
    }

    [Fact(Timeout = 60_000)]
    public async Task UpDown_OneWorkersResultOfTheTick_IsAppliedOrReturnedAtStop()
    {
        using var system = ActorSystem.Create("snippets", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");

        var (report, applied) = await Task.Run(() => UpDownSnippets.Run(system, 7)).WaitAsync(TimeSpan.FromSeconds(40));

        var results = applied.Concat(report.Messages.Select(m => m.Value)).ToList();
        Assert.Empty(report.Failures);
        Assert.True(results.Count <= 1, $"one worker sends at most one result for one tick, got {results.Count}");
        Assert.All(results, r => Assert.Equal(new Result(7, 14), r));
    }

    [Fact(Timeout = 60_000)]
    public async Task Hosting_StartsTheThumbnailsPool_AndRunsAJobOnIt()
    {
        var builder = HostingSnippets.Configure(Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true }));
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        await host.StartAsync(timeout.Token);
        var pool = host.Services.GetRequiredService<IPool<Thumbnailer>>();
        var rendered = await pool.RunAsync(t => t.Render(3)).WaitAsync(timeout.Token);
        await host.StopAsync(timeout.Token);

        Assert.StartsWith("thumbnail 3 by ", rendered, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task TestingPools_TheReadmesUserSpecPasses_EachFactOnASystemOfItsOwn()
    {
        using (var spec = new ThumbnailPoolSpec())
        {
            await spec.AFailingWorker_CostsOneJob_AndEveryOtherJobCompletes().WaitAsync(TimeSpan.FromSeconds(40));
        }

        using (var spec = new ThumbnailPoolSpec())
        {
            await spec.ARenderSlowerThanTheJobTimeout_IsCancelled().WaitAsync(TimeSpan.FromSeconds(40));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task HostingWithAkkaHosting_RunsThePoolsOnAkkaHostingsSystem_AndPutsThemInItsRegistry()
    {
        var builder = HostingSnippets.ConfigureWithAkkaHosting(Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true }));
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        await host.StartAsync(timeout.Token);
        var registry = host.Services.GetRequiredService<Akka.Hosting.ActorRegistry>();
        var thumbnails = host.Services.GetRequiredKeyedService<IPool<Thumbnailer>>("thumbnails");
        var previews = host.Services.GetRequiredKeyedService<IPool<Thumbnailer>>("previews");
        var rendered = await previews.RunAsync(t => t.Render(4)).WaitAsync(timeout.Token);

        Assert.Same(host.Services.GetRequiredService<Akka.Actor.ActorSystem>(), host.Services.GetRequiredService<Actorpool.Hosting.IPoolRegistry>().System);
        Assert.Equal(thumbnails.Pool.Ref, registry.Get<IPool<Thumbnailer>>());
        Assert.Equal(previews.Pool.Ref, registry.Get<PreviewPool>());
        await host.StopAsync(timeout.Token);
        Assert.Equal("thumbnail 4 by 0", rendered);
    }

    [Fact(Timeout = 60_000)]
    public async Task HostingKinds_StartsTheDynamicAndUpDownPools_AndStopsThemWithTheHost()
    {
        var builder = HostingSnippets.ConfigureKinds(Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true }));
        using var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));

        await host.StartAsync(timeout.Token);
        var simulation = host.Services.GetRequiredService<IUpDownPool<int, Result>>();
        simulation.Pool.Broadcast(5);
        var first = await simulation.Pool.RecvAsync(timeout.Token);
        await host.StopAsync(timeout.Token);

        var report = await simulation.Stopped.WaitAsync(timeout.Token);
        Assert.Equal(new Result(5, 10), first.Value);
        Assert.Equal(3, report.Messages.Count); // four workers, one result each: one received, three handed back at stop
        Assert.True(host.Services.GetRequiredService<IDynamicPool<Func<Decision>>>().Handle.IsCompleted);
    }

    [Fact(Timeout = 120_000)]
    public async Task Cluster_OnAOneNodeLoopbackCluster_PricesTheBasket_AndCountsIt()
    {
        using var system = ActorSystem.Create("snippets", """
            akka.loglevel = OFF
            akka.stdout-loglevel = OFF
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """);
        var cluster = Akka.Cluster.Cluster.Get(system);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(TimeSpan.FromSeconds(60));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var (priced, stats) = await ClusterSnippets.PriceOneAsync(system, role: null, timeout.Token);

        Assert.Equal(new ClusterSnippets.Priced(42, 7.5m), priced);
        Assert.Equal(1, stats.Submitted);
        Assert.Equal(1, stats.Completed);
        Assert.Equal(1, stats.Nodes.Sum(n => n.Done));
    }
}
