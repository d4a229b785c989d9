using Actorpool.Actors.Jobs;
using Actorpool.Hosting.Pools;
using Actorpool.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Hosting.Tests.Pools;

public class TimeProviderHostingTests
{
    [Fact(Timeout = 30_000)]
    public async Task AHostedPool_TimesJobsOutOnTheContainersTimeProvider()
    {
        var time = new FakeTimeProvider();
        using var host = TestHost.Build(services => services
            .AddSingleton<TimeProvider>(time)
            .AddActorpool(pools => pools.AddPool<int>("clocked", o => o with { Init = i => i, Workers = 1, JobTimeout = TimeSpan.FromHours(1) })));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();

        var job = RunUntilCancelled(pool, out var started);
        await started.WaitAsync(TestHost.Watchdog);
        // An hour longer than the watchdog: only the fake clock can time the job out.
        time.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(200);
        Assert.False(job.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));

        var cancelled = await Assert.ThrowsAsync<JobCancelledException>(() => job.WaitAsync(TestHost.Watchdog));
        Assert.Contains("timed out after 01:00:00", cancelled.Message, StringComparison.Ordinal);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task ATimeProviderSetInTheConfigureCallback_WinsOverTheContainers()
    {
        var container = new FakeTimeProvider();
        var own = new FakeTimeProvider();
        using var host = TestHost.Build(services => services
            .AddSingleton<TimeProvider>(container)
            .AddActorpool(pools => pools.AddPool<int>("own-clock", o => o with
            {
                Init = i => i,
                Workers = 1,
                JobTimeout = TimeSpan.FromHours(1),
                TimeProvider = own,
            })));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();

        var job = RunUntilCancelled(pool, out var started);
        await started.WaitAsync(TestHost.Watchdog);
        container.Advance(TimeSpan.FromHours(2));
        await Task.Delay(200);
        Assert.False(job.IsCompleted);
        own.Advance(TimeSpan.FromHours(1));

        await Assert.ThrowsAsync<JobCancelledException>(() => job.WaitAsync(TestHost.Watchdog));
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    private static Task<int> RunUntilCancelled(IPool<int> pool, out Task started)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        started = signal.Task;
        return pool.RunAsync(async (state, token) =>
        {
            signal.SetResult();
            await Task.Delay(Timeout.Infinite, token);
            return 1;
        });
    }
}
