using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Messaging;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Actorpool.Dynamic;
using Actorpool.Hosting.Pools;
using Actorpool.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting.Tests.Pools;

/// <summary>Dynamic and up/down pools, and pools of any kind, hosted beside actor pools in a real generic host.</summary>
public class PoolKindHostingTests
{
    /// <summary>Counts a dynamic system's Work calls as they begin and end.</summary>
    private sealed class Ticks
    {
        private long _entered;
        private long _exited;

        public long Entered => Interlocked.Read(ref _entered);

        public long Exited => Interlocked.Read(ref _exited);

        public ScaledSystem<Func<Decision>> System(int threads) => DynamicSystem.FunctionWorker(_ => () =>
        {
            Interlocked.Increment(ref _entered);
            Thread.Sleep(2);
            Interlocked.Increment(ref _exited);
            return Decision.Again;
        }).WithThreads(threads);
    }

    /// <summary>Registers one pool of each kind: "jobs" (actor), "ticks" (dynamic), "echo" (up/down: each down message comes back up).</summary>
    private static IActorpoolBuilder AddEachKind(IActorpoolBuilder pools, Ticks ticks, string prefix = "") => pools
        .AddPool<int>(prefix + "jobs", o => o with { Init = i => i, Workers = 2, Backlog = 64 })
        .AddDynamicPool(prefix + "ticks", _ => ticks.System(2))
        .AddUpDownPool<int, int>(prefix + "echo", (_, pool) =>
        {
            pool.AddWorker(Echo);
            pool.AddWorker(Echo);
        });

    private static async ValueTask Echo(int message, UpLink<int> up)
    {
        await Task.Delay(10).ConfigureAwait(false);
        await up.SendUpAsync(message).ConfigureAwait(false);
    }

    [Fact(Timeout = 60_000)]
    public async Task EveryKind_StoppedWithWorkInFlight_GivesEveryJobItsOutcome()
    {
        const int Jobs = 8;
        const int Messages = 40;
        var ticks = new Ticks();
        using var host = TestHost.Build(services => services.AddActorpool(pools => AddEachKind(pools.Configure(o => o.DrainTimeout = TimeSpan.FromSeconds(30)), ticks)), shutdownTimeout: TimeSpan.FromSeconds(40));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var jobs = host.Services.GetRequiredKeyedService<IPool<int>>("jobs");
        var dynamic = host.Services.GetRequiredKeyedService<IDynamicPool<Func<Decision>>>("ticks");
        var echo = host.Services.GetRequiredKeyedService<IUpDownPool<int, int>>("echo");

        var submitted = Enumerable.Range(0, Jobs).Select(i => jobs.RunAsync(_ =>
        {
            Thread.Sleep(100);
            return i;
        })).ToList();
        for (var i = 0; i < Messages; i++)
        {
            echo.Pool.SendToNext(i);
        }

        var received = new List<int> { (await echo.Pool.RecvAsync().AsTask().WaitAsync(TestHost.Watchdog)).Value };
        while (ticks.Entered < 10)
        {
            await Task.Delay(5);
        }

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(50));

        // Actor pool: the drain let every job run to completion.
        var outcomes = await Task.WhenAll(submitted.Select(Outcome)).WaitAsync(TestHost.Watchdog);
        Assert.Equal(Jobs, outcomes.Count(o => o == "completed"));
        Assert.Equal(Jobs, (await jobs.GetStatsAsync()).Completed);

        // Dynamic pool: every Work call that began has ended, and each is counted once.
        Assert.True(dynamic.Handle.IsCompleted);
        var dynamicStats = await dynamic.GetStatsAsync();
        Assert.Equal(ticks.Entered, ticks.Exited);
        Assert.Equal(ticks.Entered, dynamicStats.Submitted);
        Assert.Equal(dynamicStats.Submitted, dynamicStats.Completed + dynamicStats.Failed);
        Assert.Equal(0, dynamicStats.Failed);

        // Up/down pool: every down message came back up, to the manager or to the stop's report.
        var report = await echo.Stopped.WaitAsync(TestHost.Watchdog);
        received.AddRange(report.Messages.Select(m => m.Value));
        Assert.Empty(report.Failures);
        Assert.Equal(Enumerable.Range(0, Messages), received.Order());
        var echoStats = await echo.GetStatsAsync();
        Assert.Equal(Messages, echoStats.Submitted);
        Assert.Equal(Messages, echoStats.Completed);
    }

    [Fact(Timeout = 60_000)]
    public async Task ADynamicPoolWhoseWorkOutlivesTheDrainDeadline_IsReportedCutOff_AndStillCountsEveryCall()
    {
        using var gate = new ManualResetEventSlim();
        long entered = 0, exited = 0;
        using var logs = new CapturingLoggerProvider();
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools
                .Configure(o => o.DrainTimeout = TimeSpan.FromMilliseconds(200))
                .AddDynamicPool("stuck", _ => DynamicSystem.FunctionWorker(_ => () =>
                {
                    Interlocked.Increment(ref entered);
                    gate.Wait();
                    Interlocked.Increment(ref exited);
                    return Decision.Again;
                }).WithThreads(1))),
            logs: logs,
            shutdownTimeout: TimeSpan.FromSeconds(3));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IDynamicPool<Func<Decision>>>();
        while (Interlocked.Read(ref entered) == 0)
        {
            await Task.Delay(5);
        }

        await host.StopAsync().WaitAsync(TestHost.Watchdog);

        Assert.False(pool.Handle.IsCompleted); // the Work call holds its thread: the host stopped waiting at the deadline
        Assert.Contains(logs.Entries, e => e.Message.Contains("Pool stuck drain cut off", StringComparison.Ordinal));
        gate.Set();
        await pool.Handle.Completion.WaitAsync(TestHost.Watchdog);
        var stats = await pool.GetStatsAsync();
        Assert.Equal(1, Interlocked.Read(ref entered));
        Assert.Equal(1, Interlocked.Read(ref exited));
        Assert.Equal(1, stats.Submitted);
        Assert.Equal(1, stats.Completed);
    }

    private static async Task<string> Outcome(Task<int> job)
    {
        try
        {
            await job.ConfigureAwait(false);
            return "completed";
        }
        catch (JobCancelledException)
        {
            return "cancelled";
        }
        catch (JobRejectedException)
        {
            return "rejected";
        }
#pragma warning disable CA1031 // Any other exception is the job's failure, which is what this counts.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "failed";
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task HealthCheck_ReportsEachKind_AndADynamicPoolThatEnded()
    {
        var ticks = new Ticks();
        ScaledSystem<Func<Decision>>? system = null;
        using var host = TestHost.Build(services =>
        {
            services.AddHealthChecks().AddActorpool();
            services.AddActorpool(pools => AddEachKind(pools, ticks).AddDynamicPool("ending", _ => system = ticks.System(1)));
        });
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var running = (await health.CheckHealthAsync().WaitAsync(TestHost.Watchdog)).Entries["actorpool"];
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal("4 pools running", running.Description);
        Assert.Equal(["echo", "ending", "jobs", "ticks"], running.Data.Keys.Order());

        system!.SetScale(Scale.Shutdown);
        await host.Services.GetRequiredKeyedService<IDynamicPool<Func<Decision>>>("ending").Handle.Completion.WaitAsync(TestHost.Watchdog);
        var ended = (await health.CheckHealthAsync().WaitAsync(TestHost.Watchdog)).Entries["actorpool"];

        Assert.Equal(HealthStatus.Unhealthy, ended.Status);
        Assert.Equal("dynamic pool 'ending' has stopped", ended.Description);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 60_000)]
    public async Task TheActorpoolMeter_TagsEachKindsMeasurements_WithPoolKind()
    {
        var seen = new ConcurrentDictionary<(string Instrument, string Pool, string Kind), byte>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Actorpool" && instrument.Name is "actorpool.jobs.completed" or "actorpool.pool.workers" or "actorpool.job.run_time")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? pool = null, kind = null;
            foreach (var tag in tags)
            {
                pool = tag.Key == "pool" ? tag.Value as string : pool;
                kind = tag.Key == PoolKinds.TagName ? tag.Value as string : kind;
            }

            if (pool?.StartsWith("metered-", StringComparison.Ordinal) == true)
            {
                seen.TryAdd((instrument.Name, pool, kind ?? "(none)"), 0);
            }
        }

        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<int>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        listener.Start();
        var ticks = new Ticks();
        using var host = TestHost.Build(services => services.AddActorpool(pools => AddEachKind(pools, ticks, "metered-")));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        await host.Services.GetRequiredService<IPool<int>>().RunAsync(_ => 1).WaitAsync(TestHost.Watchdog);
        var echo = host.Services.GetRequiredService<IUpDownPool<int, int>>();
        echo.Pool.SendToNext(1);
        await echo.Pool.RecvAsync().AsTask().WaitAsync(TestHost.Watchdog);
        while (ticks.Exited == 0)
        {
            await Task.Delay(5);
        }

        listener.RecordObservableInstruments();
        await host.StopAsync().WaitAsync(TestHost.Watchdog);

        foreach (var (pool, kind) in new[] { ("metered-jobs", "actor"), ("metered-ticks", "dynamic"), ("metered-echo", "updown") })
        {
            Assert.Contains(("actorpool.jobs.completed", pool, kind), seen.Keys);
            Assert.Contains(("actorpool.pool.workers", pool, kind), seen.Keys);
        }

        Assert.Contains(("actorpool.job.run_time", "metered-jobs", "actor"), seen.Keys);
        Assert.DoesNotContain(seen.Keys, k => k.Kind == "(none)");
    }

    [Theory(Timeout = 30_000)]
    [InlineData("Actorpool:Pools:ticks:PollInterval", "00:00:00", "Actorpool:Pools:ticks:PollInterval must be positive")]
    [InlineData("Actorpool:Pools:echo:Capacity", "0", "Actorpool:Pools:echo:Capacity must be at least 1, was 0")]
    [InlineData("Actorpool:Pools:ticks:Backlog", "5", "Actorpool:Pools:ticks:Backlog is not a setting of dynamic pools; its settings are PollInterval")]
    [InlineData("Actorpool:Pools:echo:Workers", "2", "Actorpool:Pools:echo:Workers is not a setting of updown pools; its settings are Capacity")]
    [InlineData("Actorpool:Pools:jobs:Capacity", "2", "Actorpool:Pools:jobs:Capacity is not a setting of actor pools")]
    [InlineData("Actorpool:Pools:echo:Capacityy", "5", "Actorpool:Pools:echo:Capacityy is not a known setting (did you mean 'Capacity'?)")]
    public async Task ABadPoolSetting_FailsTheStart_NamingTheKey(string key, string value, string expected)
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => AddEachKind(pools.BindConfiguration(), new Ticks())),
            new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task PoolSettingsOfEachKind_FromTheSection_ReplaceWhatCodeSet()
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => AddEachKind(pools.BindConfiguration(), new Ticks())),
            new Dictionary<string, string?> { ["Actorpool:Pools:echo:Capacity"] = "7", ["Actorpool:Pools:ticks:PollInterval"] = "00:00:00.050" });
        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        Assert.Equal(7, host.Services.GetRequiredService<IUpDownPool<int, int>>().Pool.Capacity);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnUpDownPoolWhoseWorkersCannotBeAdded_FailsTheStart_AndItsStoppedFaults()
    {
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools
            .AddUpDownPool<int, int>("broken", (_, _) => throw new InvalidOperationException("no workers"))));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        Assert.Contains("Pool 'broken': adding its workers failed: no workers", error.Message, StringComparison.Ordinal);
        var handle = host.Services.GetRequiredService<IUpDownPool<int, int>>();
        Assert.False(handle.IsStarted);
        var stopped = await Assert.ThrowsAsync<InvalidOperationException>(() => handle.Stopped.WaitAsync(TestHost.Watchdog));
        Assert.Contains("Pool 'broken' did not start", stopped.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task APoolOfAnyKind_IsStartedFoundByNameAndDrainedWithTheHost()
    {
        var pools = new List<PoolRef<int>>();
        using var host = TestHost.Build(services => services.AddActorpool(builder => builder.AddPool("custom", PoolKinds.Actor, (_, system, _) =>
        {
            var pool = system.SpawnPool(new PoolOptions<int> { Name = "custom", Init = i => i });
            pools.Add(pool);
            return Task.FromResult<IManagedPool>(pool);
        })));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        var managed = host.Services.GetRequiredService<IPoolRegistry>().GetManaged("CUSTOM");
        Assert.Same(pools.Single(), managed);
        Assert.Equal(PoolKinds.Actor, managed.Kind);
        var job = pools[0].RunAsync(_ =>
        {
            Thread.Sleep(200);
            return 3;
        });
        await host.StopAsync().WaitAsync(TestHost.Watchdog);

        Assert.Equal(3, await job.WaitAsync(TestHost.Watchdog));
        Assert.True(managed.Completion.IsCompleted);
    }

    [Fact(Timeout = 30_000)]
    public async Task APoolOfAnyKind_WhoseStartReturnsAnotherKind_FailsTheStart_NamingBoth()
    {
        using var host = TestHost.Build(services => services.AddActorpool(builder => builder.AddPool("custom", "cluster", (_, system, _) =>
            Task.FromResult<IManagedPool>(system.SpawnPool(new PoolOptions<int> { Name = "custom", Init = i => i })))));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        Assert.Contains("Pool 'custom': the start callback returned a pool of kind 'actor', registered as kind 'cluster'", error.Message, StringComparison.Ordinal);
    }
}
