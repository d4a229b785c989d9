using Actorpool.Actors.Supervision;
using Actorpool.Hosting.Pools;
using Actorpool.Hosting.Tests.Support;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actorpool.Hosting.Tests;

public class HostLifetimeTests
{
    [Fact(Timeout = 30_000)]
    public async Task StartAndStop_CreatesTheActorSystem_AndTerminatesIt()
    {
        using var host = TestHost.Build(services => services.AddActorpool());
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var system = host.Services.GetRequiredService<IPoolRegistry>().System;
        Assert.False(system.WhenTerminated.IsCompleted);
        Assert.Equal(ActorpoolDefaults.SystemName, system.Name);

        await host.StopAsync().WaitAsync(TestHost.Watchdog);

        Assert.True(system.WhenTerminated.IsCompleted);
    }

    [Fact(Timeout = 30_000)]
    public async Task PoolKilledByItsPolicyWhileTheHostRuns_IsLoggedAsStoppedOnItsOwn_NamingThePoolAndTheCause()
    {
        var logs = new CapturingLoggerProvider();
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools
                .AddPool<int>("fragile", o => o with { Init = i => i, Workers = 1, Panic = PanicPolicy.Kill })),
            logs: logs);
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();

        await Assert.ThrowsAnyAsync<Exception>(() => pool.RunAsync<int>(int (_) => throw new InvalidOperationException("fatal"))).WaitAsync(TestHost.Watchdog);
        var stopped = await logs.WaitForAsync(e => e.EventId.Name == "PoolTerminatedOnItsOwn").WaitAsync(TestHost.Watchdog);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);

        Assert.Equal(1009, stopped.EventId.Id);
        Assert.Equal("fragile", stopped.Properties["PoolName"]);
        Assert.Equal(true, stopped.Properties["Killed"]);
        Assert.Contains("fatal", stopped.Exception?.ToString(), StringComparison.Ordinal);
        Assert.Single(logs.Entries, e => e.EventId.Name == "PoolTerminatedOnItsOwn");
    }

    [Fact(Timeout = 60_000)]
    public async Task CoordinatedShutdownOfAnApplicationOwnedSystem_DrainsThePoolsFirst_ThenStopsTheHostWithoutAFalseWarning()
    {
        const int jobs = 4;
        var logs = new CapturingLoggerProvider();
        var external = ActorSystem.Create("shut-down-by-its-owner");
        using var host = TestHost.Build(
            services => services.AddSingleton(external).AddActorpool(pools => pools
                .AddPool<int>("busy", o => o with { Init = i => i, Workers = jobs })),
            logs: logs);
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();
        var tasks = await SlowJobs.StartAsync(pool, jobs, TimeSpan.FromMilliseconds(500));

        await CoordinatedShutdown.Get(external).Run(CoordinatedShutdown.UnknownReason.Instance).WaitAsync(TestHost.Watchdog);

        Assert.Equal(Enumerable.Range(0, jobs), (await Task.WhenAll(tasks).WaitAsync(TestHost.Watchdog)).Order());
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TestHost.Watchdog);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
        var followed = Assert.Single(logs.Entries, e => e.EventId.Name == "ShutDownByCoordinatedShutdown");
        Assert.Equal("shut-down-by-its-owner", followed.Properties["SystemName"]);
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Name is "TerminatedOnItsOwn" or "PoolTerminatedOnItsOwn" or "PoolDrainCutOff");
        Assert.Single(logs.Entries, e => e.EventId.Name == "DrainFinished");
        Assert.Equal("CoordinatedShutdown", Assert.Single(logs.Entries, e => e.EventId.Name == "DrainBegun").Properties["Trigger"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task OwnedSystem_GivesTheDrainPhaseTheDefaultTimeout_UnlessTheHoconSetsOne()
    {
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools.Configure(
            o => o.Hocon = "akka.coordinated-shutdown.phases.service-requests-done.timeout = 7s")));
        using var plain = TestHost.Build(services => services.AddActorpool());
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        await plain.StartAsync().WaitAsync(TestHost.Watchdog);

        Assert.Equal(TimeSpan.FromSeconds(7), CoordinatedShutdown.Get(host.Services.GetRequiredService<IPoolRegistry>().System).Timeout(ActorpoolDefaults.DrainPhase));
        Assert.Equal(ActorpoolDefaults.DrainPhaseTimeout, CoordinatedShutdown.Get(plain.Services.GetRequiredService<IPoolRegistry>().System).Timeout(ActorpoolDefaults.DrainPhase));
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
        await plain.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact]
    public void Registry_BeforeTheHostStarts_ThrowsNamingTheReason()
    {
        using var host = TestHost.Build(services => services.AddActorpool());
        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IPoolRegistry>().System);
        Assert.Contains("has not started", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task OwnedSystem_IsConfiguredSoThatTheHostDrivesShutdown()
    {
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools.Configure(
            o => o.Hocon = "akka.coordinated-shutdown.run-by-clr-shutdown-hook = on")));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var config = host.Services.GetRequiredService<IPoolRegistry>().System.Settings.Config;

        Assert.False(config.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
        Assert.False(config.GetBoolean("akka.coordinated-shutdown.exit-clr"));

        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task ExternalSystemRegisteredInDi_IsJoined_AndNotTerminatedWhenTheHostStops()
    {
        using var external = ActorSystem.Create("external");
        using (var host = TestHost.Build(services => services
                   .AddSingleton(external)
                   .AddActorpool(pools => pools.AddPool<int>("guest", o => o with { Init = i => i }))))
        {
            await host.StartAsync().WaitAsync(TestHost.Watchdog);
            Assert.Same(external, host.Services.GetRequiredService<IPoolRegistry>().System);
            var pool = host.Services.GetRequiredService<Actorpool.Hosting.Pools.IPool<int>>();
            Assert.Equal("akka://external/user/guest", pool.Pool.Ref.Path.ToString());
            await host.StopAsync().WaitAsync(TestHost.Watchdog);
            await pool.Pool.Completion.WaitAsync(TestHost.Watchdog); // the pools are stopped (the drain reply may come a moment before the pool ends); the system is not
        }

        Assert.False(external.WhenTerminated.IsCompleted);
        await external.Terminate().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task UseActorSystem_WinsOverTheRegisteredService_AndIsNotTerminated()
    {
        using var registered = ActorSystem.Create("registered");
        using var chosen = ActorSystem.Create("chosen");
        using (var host = TestHost.Build(services => services
                   .AddSingleton(registered)
                   .AddActorpool(pools => pools.UseActorSystem(_ => chosen))))
        {
            await host.StartAsync().WaitAsync(TestHost.Watchdog);
            Assert.Same(chosen, host.Services.GetRequiredService<IPoolRegistry>().System);
            await host.StopAsync().WaitAsync(TestHost.Watchdog);
        }

        Assert.False(chosen.WhenTerminated.IsCompleted);
        await Task.WhenAll(registered.Terminate(), chosen.Terminate()).WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task ActorSystemTerminatingOnItsOwn_AsksTheHostToStop_WhichThenStopsCleanly()
    {
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools.AddPool<int>("orphan", o => o with { Init = i => i })));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);

        await host.Services.GetRequiredService<IPoolRegistry>().System.Terminate().WaitAsync(TestHost.Watchdog);

        await stopping.Task.WaitAsync(TestHost.Watchdog);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
        Assert.True(host.Services.GetRequiredService<Actorpool.Hosting.Pools.IPool<int>>().Pool.Completion.IsCompleted);
    }

    [Fact(Timeout = 30_000)]
    public async Task HostStopping_DoesNotReportTheSystemAsTerminatedOnItsOwn()
    {
        var logs = new CapturingLoggerProvider();
        using var host = TestHost.Build(services => services.AddActorpool(), logs: logs);
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var system = host.Services.GetRequiredService<IPoolRegistry>().System;

        await host.StopAsync().WaitAsync(TestHost.Watchdog);
        await system.WhenTerminated.WaitAsync(TestHost.Watchdog);

        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("terminated on its own", StringComparison.Ordinal));
    }
}
