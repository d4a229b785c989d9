using Actorpool.Actors.Jobs;
using Actorpool.Hosting.Pools;
using Actorpool.Hosting.Tests.Support;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Actorpool.Hosting.Tests.AkkaHosting;

public class AkkaHostingTests
{
    private const int Jobs = 8;

    [Theory(Timeout = 90_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HostStop_DrainsEverySlowJob_WhicheverOfAddAkkaAndAddActorpoolIsRegisteredFirst(bool akkaFirst)
    {
        var logs = new CapturingLoggerProvider();
        using var host = TestHost.Build(
            services =>
            {
                if (akkaFirst)
                {
                    services.AddAkka("akka-hosted", akka => akka.WithActorpool());
                }

                services.AddActorpool(pools => pools.AddPool<int>("slow", o => o with { Init = i => i, Workers = Jobs }));
                if (!akkaFirst)
                {
                    services.AddAkka("akka-hosted", akka => akka.WithActorpool());
                }
            },
            logs: logs,
            shutdownTimeout: TimeSpan.FromSeconds(30));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.Same(system, host.Services.GetRequiredService<IPoolRegistry>().System);
        var pool = host.Services.GetRequiredService<IPool<int>>();

        var tasks = await SlowJobs.StartAsync(pool, Jobs, TimeSpan.FromSeconds(1));

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var outcomes = await Task.WhenAll(tasks.Select(t => t.ContinueWith(c => c, TaskScheduler.Default)));
        Assert.Equal(Jobs, outcomes.Count(t => t.IsCompletedSuccessfully));
        Assert.Equal(0, outcomes.Count(t => t.Exception?.InnerException is JobCancelledException || t.IsCanceled));
        Assert.Equal(Enumerable.Range(0, Jobs), outcomes.Select(t => t.Result).Order());
        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == 1004 || e.Message.Contains("terminated on its own", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Name == "PoolTerminatedOnItsOwn");
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == 1103 || e.Message.Contains("drain cut off", StringComparison.Ordinal));
        var finished = Assert.Single(logs.Entries, e => e.EventId.Id == 1106);
        Assert.Equal((long)Jobs, finished.Properties["Completed"]);
        Assert.Equal(0L, finished.Properties["Cancelled"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task WithActorpool_SendsAkkasOwnLogEventsToILogger_NotToStdout()
    {
        var logs = new CapturingLoggerProvider();
        using var host = TestHost.Build(
            services => services.AddActorpool().AddAkka("akka-logs", akka => akka.WithActorpool()),
            logs: logs);
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var system = host.Services.GetRequiredService<ActorSystem>();

        system.Log.Info("Hello from {Sender} under Akka.Hosting", "an actor");

        var entry = await logs.WaitForAsync(e => e.Message == "Hello from an actor under Akka.Hosting").WaitAsync(TestHost.Watchdog);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, entry.Level);
        Assert.Equal("an actor", entry.Properties["Sender"]);
        Assert.Equal("Hello from {Sender} under Akka.Hosting", entry.Properties["{OriginalFormat}"]);

        // The bridge is the only logger: Akka's DefaultLogger (its stdout [INFO] lines) is not started.
        var logger = Assert.Single(system.Settings.Loggers);
        Assert.Contains("LoggerBridge", logger, StringComparison.Ordinal);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 60_000)]
    public async Task WithActorpool_InstallsTheDispatcher_AndPutsThePoolsInTheActorRegistry()
    {
        using var host = TestHost.Build(services => services
            .AddAkka("akka-registry", akka => akka.WithActorpool())
            .AddActorpool(pools => pools
                .AddPool<int>("first", o => o with { Init = i => i, Workers = 1 })
                .AddPool<int>("second", o => o with { Init = i => i, Workers = 1 })
                .AddPool<int, ThirdPoolKey>("third", o => o with { Init = i => i, Workers = 1 })));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var system = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        var pools = host.Services.GetRequiredService<IPoolRegistry>();

        Assert.True(system.HasExtension<Actorpool.Actors.Dispatch.ActorpoolExtension>());
        Assert.Equal(pools.Get<int>("first").Pool.Ref, registry.Get<IPool<int>>());
        Assert.Equal(pools.Get<int>("third").Pool.Ref, await registry.GetAsync<ThirdPoolKey>().WaitAsync(TestHost.Watchdog));
        Assert.Equal(pools.Get<int>("third").Pool.Ref, host.Services.GetRequiredService<IRequiredActor<ThirdPoolKey>>().ActorRef);
        Assert.Equal(2, registry.Count(entry => entry.Value.Path.Name is "first" or "second" or "third"));
        Assert.Equal(
            TimeSpan.FromSeconds(30),
            system.Settings.Config.GetTimeSpan($"akka.coordinated-shutdown.phases.{ActorpoolDefaults.DrainPhase}.timeout", null, false));
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    private sealed class ThirdPoolKey;
}
