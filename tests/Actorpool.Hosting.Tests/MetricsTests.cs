using System.Diagnostics.Metrics;
using Actorpool.Hosting.Pools;
using Actorpool.Hosting.Tests.Support;
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
}
