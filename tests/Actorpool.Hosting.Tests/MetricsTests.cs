using System.Diagnostics.Metrics;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Messaging;
using Actorpool.Actors.Metrics;
using Actorpool.Hosting.Pools;
using Actorpool.Hosting.Tests.Support;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Actorpool.Hosting.Tests;

public class MetricsTests
{
    [Fact(Timeout = 30_000)]
    public async Task HostedPool_ReportsToTheActorpoolMeter_TaggedWithItsName()
    {
        const string pool = "metered-hosted-pool";
        var completed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Actorpool" && instrument.Name == "actorpool.jobs.completed")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "pool", Value: pool })
                {
                    completed.TrySetResult(value);
                }
            }
        });
        listener.Start();
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools.AddPool<int>(pool, o => o with { Init = i => i })));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        await host.Services.GetRequiredService<IPool<int>>().RunAsync(_ => 1).WaitAsync(TestHost.Watchdog);

        Assert.Equal(1, await completed.Task.WaitAsync(TestHost.Watchdog));
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 60_000)]
    public async Task HostedPools_ReportToTheMeterOfTheirHostsMeterFactory_AndTwoHostsDoNotSeeEachOthersPools()
    {
        const int JobsA = 10, JobsB = 7;

        // Host A runs its own actor system; host B runs on Akka.Hosting's (WithActorpool).
        using var hostA = TestHost.Build(services => services.AddActorpool(pools => pools
            .AddPool<int>("scoped-a-jobs", o => o with { Init = i => i, Workers = 2 })
            .AddUpDownPool<int, int>("scoped-a-echo", (_, pool) => pool.AddWorker(async (int m, UpLink<int> up) => await up.SendUpAsync(m)))));
        using var hostB = TestHost.Build(services => services
            .AddActorpool(pools => pools.AddPool<int>("scoped-b-jobs", o => o with { Init = i => i, Workers = 3 }))
            .AddAkka("scoped-b", akka => akka.WithActorpool()));
        var factoryA = hostA.Services.GetRequiredService<IMeterFactory>();
        var factoryB = hostB.Services.GetRequiredService<IMeterFactory>();
        Assert.NotSame(factoryA, factoryB);
        using var seenByA = new ScopedMeterListener(meter => ReferenceEquals(meter.Scope, factoryA));
        using var seenByB = new ScopedMeterListener(meter => ReferenceEquals(meter.Scope, factoryB));
        // Not the process-wide meter's histograms: a job message measures its queue wait from its making when that
        // meter measures it, and this test checks it is measured for the pool's meter when only that one does.
        using var seenByProcess = new ScopedMeterListener(meter => ReferenceEquals(meter, PoolMetrics.Meter), instrument => instrument is not Histogram<double>);
        await Task.WhenAll(hostA.StartAsync(), hostB.StartAsync()).WaitAsync(TestHost.Watchdog);

        await Task.WhenAll(Enumerable.Range(0, JobsA).Select(i => hostA.Services.GetRequiredService<IPool<int>>().RunAsync(s => s + i))).WaitAsync(TestHost.Watchdog);
        await Task.WhenAll(Enumerable.Range(0, JobsB).Select(i => hostB.Services.GetRequiredService<IPool<int>>().RunAsync(s => s + i))).WaitAsync(TestHost.Watchdog);
        // A job message is bound to its pool (and that pool's meter) only when the pool claims it.
        var message = await hostA.Services.GetRequiredService<IPool<int>>().Pool.Ref.Ask<JobCompleted>(Submit.Run<int>(1, s => s), TestHost.Watchdog);
        Assert.Equal(1L, message.JobId);
        var echo = hostA.Services.GetRequiredService<IUpDownPool<int, int>>();
        echo.Pool.SendToNext(1);
        Assert.Equal(1, (await echo.Pool.RecvAsync().AsTask().WaitAsync(TestHost.Watchdog)).Value);
        seenByA.ObserveGauges();
        seenByB.ObserveGauges();
        seenByProcess.ObserveGauges();

        Assert.Equal(JobsA + 1, seenByA.Of("actorpool.jobs.submitted", "scoped-a-jobs", "actor"));
        Assert.Equal(JobsA + 1, seenByA.Of("actorpool.jobs.completed", "scoped-a-jobs", "actor"));
        Assert.Equal(JobsA + 1, seenByA.Of("actorpool.job.queue_wait", "scoped-a-jobs", "actor"));
        Assert.Equal(JobsA + 1, seenByA.Of("actorpool.job.run_time", "scoped-a-jobs", "actor"));
        Assert.Equal(2, seenByA.Of("actorpool.pool.workers", "scoped-a-jobs", "actor"));
        Assert.Equal(0, seenByA.Of("actorpool.pool.backlog", "scoped-a-jobs", "actor"));
        Assert.Equal(1, seenByA.Of("actorpool.jobs.completed", "scoped-a-echo", "updown"));
        Assert.Equal(1, seenByA.Of("actorpool.pool.workers", "scoped-a-echo", "updown"));
        Assert.Equal(JobsB, seenByB.Of("actorpool.jobs.completed", "scoped-b-jobs", "actor"));
        Assert.Equal(3, seenByB.Of("actorpool.pool.workers", "scoped-b-jobs", "actor"));
        Assert.DoesNotContain(seenByA.Measured.Keys, k => k.Pool.StartsWith("scoped-b", StringComparison.Ordinal) || k.Kind == "(none)");
        Assert.DoesNotContain(seenByB.Measured.Keys, k => k.Pool.StartsWith("scoped-a", StringComparison.Ordinal) || k.Kind == "(none)");
        Assert.DoesNotContain(seenByProcess.Measured.Keys, k => k.Pool.StartsWith("scoped-", StringComparison.Ordinal));

        await Task.WhenAll(hostA.StopAsync(), hostB.StopAsync()).WaitAsync(TestHost.Watchdog);

        // A stopped pool leaves its meter's gauges.
        seenByA.Measured.Clear();
        seenByA.ObserveGauges();
        Assert.DoesNotContain(seenByA.Measured.Keys, k => k.Instrument == "actorpool.pool.workers");
    }

    [Fact(Timeout = 30_000)]
    public async Task AHostedPoolWhoseCallbackClearsMeterFactory_ReportsToTheProcessWideMeter()
    {
        const string pool = "unscoped-hosted-pool";
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools.AddPool<int>(pool, o => o with { Init = i => i, Workers = 1, MeterFactory = null })));
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        using var seenByHost = new ScopedMeterListener(meter => ReferenceEquals(meter.Scope, factory));
        using var seenByProcess = new ScopedMeterListener(meter => ReferenceEquals(meter, PoolMetrics.Meter));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        await host.Services.GetRequiredService<IPool<int>>().RunAsync(_ => 1).WaitAsync(TestHost.Watchdog);
        seenByHost.ObserveGauges();
        seenByProcess.ObserveGauges();

        Assert.Equal(1, seenByProcess.Of("actorpool.jobs.completed", pool, "actor"));
        Assert.Equal(1, seenByProcess.Of("actorpool.pool.workers", pool, "actor"));
        Assert.Empty(seenByHost.Measured);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }
}
