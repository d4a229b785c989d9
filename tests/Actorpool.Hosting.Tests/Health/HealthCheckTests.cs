using Actorpool.Actors.Supervision;
using Actorpool.Hosting.Pools;
using Actorpool.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Hosting.Tests.Health;

public class HealthCheckTests
{
    private static IHost Build(FakeTimeProvider time, PanicPolicy panic) => TestHost.Build(services =>
    {
        services.AddSingleton<TimeProvider>(time);
        services.AddHealthChecks().AddActorpool();
        services.AddActorpool(pools => pools
            .Configure(o => o.HealthRestartThreshold = 2)
            .AddPool<int>("checked", o => o with { Init = i => i, Workers = 1, Panic = panic }));
    });

    private static async Task<HealthReportEntry> CheckAsync(IHost host)
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(TestHost.Watchdog);
        return report.Entries["actorpool"];
    }

    [Fact(Timeout = 30_000)]
    public async Task BeforeTheStart_IsUnhealthy_AndWhileRunning_IsHealthyWithTheStats()
    {
        using var host = Build(new FakeTimeProvider(), PanicPolicy.Respawn());
        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync(host)).Status);

        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var running = await CheckAsync(host);

        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal(1, Assert.IsType<Actorpool.Actors.Pools.PoolStats>(running.Data["checked"]).Workers);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
        var stopped = await CheckAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
        Assert.Contains("'checked' has stopped", stopped.Description, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task RestartsAtTheThreshold_AreDegraded_UntilTheWindowHasPassed()
    {
        var time = new FakeTimeProvider();
        using var host = Build(time, PanicPolicy.Respawn());
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Status);
        var first = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("first"));
        var second = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("second"));

        // One worker: this job runs on the twice-restarted worker, so both restarts are counted when it completes.
        Assert.Equal(7, await pool.RunAsync(_ => 7).WaitAsync(TestHost.Watchdog));
        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        var degraded = await CheckAsync(host);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("'checked' restarted 2 workers", degraded.Description, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Status);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task OneRestartBelowTheThreshold_IsHealthy()
    {
        using var host = Build(new FakeTimeProvider(), PanicPolicy.Respawn());
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();
        var failed = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("once"));

        Assert.Equal(1, await pool.RunAsync(_ => 1).WaitAsync(TestHost.Watchdog));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal(1, (await pool.GetStatsAsync()).Restarts);

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(host)).Status);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task KilledPool_IsUnhealthy()
    {
        using var host = Build(new FakeTimeProvider(), PanicPolicy.Kill);
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RunAsync<int>(int (_) => throw new InvalidOperationException("fatal")));
        await pool.Pool.Completion.WaitAsync(TestHost.Watchdog);

        var killed = await CheckAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, killed.Status);
        Assert.Contains("'checked' was killed", killed.Description, StringComparison.Ordinal);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }
}
