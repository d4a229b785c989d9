using Actorpool.Actors.Pools;
using Actorpool.Cluster.Pools;
using Actorpool.Hosting;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Actorpool.Cluster.Tests.ClusterPoolTestKit;

namespace Actorpool.Cluster.Tests;

/// <summary>A cluster pool in a generic Host, beside Akka.Hosting's <c>AddAkka(...).WithClustering(...)</c>.</summary>
public sealed class ClusterPoolHostingSpecs
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    [Theory(Timeout = 120_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ClusterPool_HostedBesideAkkaHostingClustering_RunsJobs_AndTheHostStopDrainsThemAll(bool akkaFirst)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        void AddAkka() => builder.Services.AddAkka("pool", akka => akka
            .WithRemoting("127.0.0.1", 0)
            .WithClustering(new ClusterOptions { Roles = ["worker"] })
            .WithActorpool());
        void AddPools() => builder.Services.AddActorpool(pools => pools.AddPool("jobs", ClusterPool<Work, Ran>.KindName, async (_, system, cancellationToken) =>
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            await cluster.JoinAsync(cluster.SelfAddress, cancellationToken); // a one-node cluster; real nodes list seed nodes in ClusterOptions
            return system.SpawnClusterPool(Definition(system, role: "worker"));
        }));
        if (akkaFirst)
        {
            AddAkka();
            AddPools();
        }
        else
        {
            AddPools();
            AddAkka();
        }

        using var host = builder.Build();
        await host.StartAsync().WaitAsync(Watchdog);
        var managed = host.Services.GetRequiredService<IPoolRegistry>().GetManaged("jobs");
        var pool = Assert.IsType<ClusterPool<Work, Ran>>(managed);
        Assert.Equal("cluster", managed.Kind);
        await WaitForNodesAsync(pool, 1);

        var jobs = Enumerable.Range(0, 40).Select(i => pool.RunAsync(new Work(i, 50))).ToList();
        await host.StopAsync().WaitAsync(Watchdog);

        Assert.All(jobs, job => Assert.True(job.IsCompletedSuccessfully, job.Exception?.ToString() ?? job.Status.ToString()));
        var stats = await ((IManagedPool)pool).GetStatsAsync();
        Assert.Equal(40, stats.Submitted);
        Assert.Equal(40, stats.Completed);
    }
}
