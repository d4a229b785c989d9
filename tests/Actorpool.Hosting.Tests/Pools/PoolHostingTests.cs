using Actorpool.Actors.Supervision;
using Actorpool.Hosting.Pools;
using Actorpool.Hosting.Tests.Support;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting.Tests.Pools;

public class PoolHostingTests
{
    [Fact(Timeout = 30_000)]
    public async Task AddPool_StartsWithTheHost_AndIsInjectableByKeyByTypeAndByRegistry()
    {
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools
            .AddPool<int>("squares", o => o with { Init = i => i, Workers = 2 })
            .AddPool<int>("cubes", o => o with { Init = i => i, Workers = 1 })));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        var keyed = host.Services.GetRequiredKeyedService<IPool<int>>("cubes");
        var registry = host.Services.GetRequiredService<IPoolRegistry>();
        Assert.Equal("squares", host.Services.GetRequiredService<IPool<int>>().Name);
        Assert.Same(keyed, registry.Get<int>("CUBES"));
        Assert.Equal(["squares", "cubes"], registry.Names);
        Assert.Equal(27, await keyed.RunAsync(_ => 3 * 3 * 3).WaitAsync(TestHost.Watchdog));
        Assert.True(keyed.TryRun(_ => 8, out var tried));
        Assert.Equal(8, await tried.WaitAsync(TestHost.Watchdog));
        Assert.Equal("cubes", keyed.Pool.Name);

        await host.StopAsync().WaitAsync(TestHost.Watchdog);
        Assert.True(keyed.Pool.Completion.IsCompleted);
    }

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_BeforeTheHostStarts_WaitsForThePool_AndTryRunRejects()
    {
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools.AddPool<int>("early", o => o with { Init = i => i })));
        var pool = host.Services.GetRequiredService<IPool<int>>();

        var early = pool.RunAsync(_ => 42);
        var earlyValue = pool.RunValueAsync(i => i + 100).AsTask();
        var earlyAsyncValue = pool.RunValueAsync(async (i, token) =>
        {
            await Task.Yield();
            return i + 200;
        }).AsTask();
        Assert.False(pool.TryRun(_ => 1, out var rejected));
        await Assert.ThrowsAsync<Actorpool.Actors.Jobs.JobRejectedException>(() => rejected);
        Assert.Throws<InvalidOperationException>(() => pool.Pool);
        Assert.False(early.IsCompleted);

        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        Assert.Equal(42, await early.WaitAsync(TestHost.Watchdog));
        Assert.InRange(await earlyValue.WaitAsync(TestHost.Watchdog), 100, 199);
        Assert.InRange(await earlyAsyncValue.WaitAsync(TestHost.Watchdog), 200, 299);
        Assert.Equal(5, await pool.RunValueAsync(_ => 5).AsTask().WaitAsync(TestHost.Watchdog)); // started: straight to the pool
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task StoppingTheHost_DrainsEveryQueuedAndRunningJob()
    {
        const int jobs = 50;
        using var gate = new ManualResetEventSlim();
        var ran = 0;
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools.AddPool<int>("drain", o => o with { Init = i => i, Workers = 2 })));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(stopping.SetResult);
        var tasks = Enumerable.Range(0, jobs).Select(i => pool.RunAsync(_ =>
        {
            gate.Wait(TimeSpan.FromSeconds(30)); // bounded: a failed test must not keep a shared dispatcher thread forever
            Interlocked.Increment(ref ran);
            return i;
        })).ToList();

        var stop = host.StopAsync();
        await stopping.Task.WaitAsync(TestHost.Watchdog);
        Assert.False(stop.IsCompleted); // the drain cannot finish while the jobs are held
        gate.Set();
        await stop.WaitAsync(TestHost.Watchdog);

        Assert.Equal(Enumerable.Range(0, jobs), await Task.WhenAll(tasks));
        Assert.Equal(jobs, ran);
        var stats = await pool.Pool.GetStatsAsync();
        Assert.Equal((jobs, jobs, 0L, 0L), (stats.Submitted, stats.Completed, stats.Cancelled, stats.Rejected));
    }

    [Theory(Timeout = 30_000)]
    [InlineData(200, 10_000)] // DrainTimeout set
    [InlineData(null, 5_000)] // no DrainTimeout: 80% of the host's shutdown timeout (1 s of margin for a slow CI box)
    public async Task StoppingTheHost_PastTheDrainDeadline_CancelsWhatIsLeft_AndLogsIt(int? drainMs, int shutdownMs)
    {
        const int jobs = 10;
        using var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new CapturingLoggerProvider();
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools
                .Configure(o => o.DrainTimeout = drainMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null)
                .AddPool<int>("slow", o => o with { Init = i => i, Workers = 1, Prefetch = 1 })),
            logs: logs,
            shutdownTimeout: TimeSpan.FromMilliseconds(shutdownMs));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();
        var tasks = Enumerable.Range(0, jobs).Select(i => pool.RunAsync(_ =>
        {
            started.TrySetResult();
            gate.Wait(TimeSpan.FromSeconds(30)); // bounded: a failed test must not keep a shared dispatcher thread forever
            return i;
        })).ToList();
        await started.Task.WaitAsync(TestHost.Watchdog);

        var stop = host.StopAsync();
        var cutOff = await logs.WaitForAsync(e => e.Message.Contains("drain cut off", StringComparison.Ordinal) || e.Message.Contains("had not finished draining", StringComparison.Ordinal)).WaitAsync(TestHost.Watchdog);
        Assert.Contains("drain cut off", cutOff.Message, StringComparison.Ordinal); // not abandoned at the host's own timeout
        gate.Set(); // the held job may now return; its result is discarded
        await stop.WaitAsync(TestHost.Watchdog);

        foreach (var task in tasks)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        }

        Assert.Equal((long)jobs, cutOff.Properties["Cancelled"]);
        Assert.Equal("slow", cutOff.Properties["PoolName"]);
        Assert.Equal(drainMs is { } expected ? TimeSpan.FromMilliseconds(expected) : TimeSpan.FromMilliseconds(shutdownMs * 0.8), cutOff.Properties["Deadline"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task PoolThatFailsToStart_FailsTheHostStart_LogsIt_AndFaultsEarlyCallers()
    {
        using var external = ActorSystem.Create("taken-names");
        external.ActorOf(Props.Empty, "taken");
        var logs = new CapturingLoggerProvider();
        using var host = TestHost.Build(
            services => services.AddSingleton(external).AddActorpool(pools => pools
                .AddPool<int>("fine", o => o with { Init = i => i })
                .AddPool<string>("taken", o => o with { Init = i => $"worker {i}" })),
            logs: logs);
        var early = host.Services.GetRequiredService<IPool<string>>().RunAsync(s => s);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        Assert.Contains("'taken'", error.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("taken failed to start", StringComparison.Ordinal));
        await Assert.ThrowsAsync<InvalidOperationException>(() => early.WaitAsync(TestHost.Watchdog));
        await host.Services.GetRequiredService<IPool<int>>().Pool.Completion.WaitAsync(TestHost.Watchdog); // the started one was stopped
        Assert.False(external.WhenTerminated.IsCompleted);
        await external.Terminate().WaitAsync(TestHost.Watchdog);
    }

    [Fact]
    public void AddPool_WithANameAlreadyRegistered_ThrowsNamingIt()
    {
        var services = new ServiceCollection();
        services.AddActorpool(pools => pools.AddPool<int>("twice", o => o with { Init = i => i }));

        var error = Assert.Throws<ArgumentException>(() => services.AddActorpool(pools => pools.AddPool<long>("TWICE", o => o with { Init = i => i })));

        Assert.Contains("'twice' is already registered", error.Message, StringComparison.Ordinal);
        Assert.Contains("was 'TWICE'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_ForAnUnknownNameOrTheWrongStateType_ThrowsNamingBoth()
    {
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools.AddPool<int>("ints", o => o with { Init = i => i })));
        var registry = host.Services.GetRequiredService<IPoolRegistry>();

        Assert.Contains("registered: ints", Assert.Throws<KeyNotFoundException>(() => registry.Get<int>("nope")).Message, StringComparison.Ordinal);
        Assert.Contains("IPool<Int32>, not IPool<String>", Assert.Throws<InvalidCastException>(() => registry.Get<string>("ints")).Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("Workers must be at least 1, was 0")]
    [InlineData("Init must be set in AddPool")]
    [InlineData("not registered with AddPool (registered: checked), was 'ghost'")]
    public async Task InvalidPoolOptions_FailTheStart_NamingThePoolAndTheValue(string expected)
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools.BindConfiguration().AddPool<int>("checked", o => expected switch
            {
                "Init must be set in AddPool" => o,
                "Workers must be at least 1, was 0" => o with { Init = i => i, Workers = 0 },
                _ => o with { Init = i => i },
            })),
            expected.Contains("ghost", StringComparison.Ordinal) ? new Dictionary<string, string?> { ["Actorpool:Pools:ghost:Workers"] = "2" } : null);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected.Contains("ghost", StringComparison.Ordinal) ? "Actorpool:Pools:ghost" : "Pool 'checked'", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task PoolConfiguration_FromTheSection_ReplacesWhatCodeSet()
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools
                .BindConfiguration()
                .AddPool<int>("configured", o => o with { Init = i => i, Workers = 1, Panic = PanicPolicy.Resume })),
            new Dictionary<string, string?>
            {
                ["Actorpool:Pools:Configured:Workers"] = "3",
                ["Actorpool:Pools:Configured:Panic:Kind"] = "kill",
            });
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();

        Assert.Equal(3, (await pool.GetStatsAsync()).Workers);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RunAsync<int>(int (_) => throw new InvalidOperationException("fail")));
        await pool.Pool.Completion.WaitAsync(TestHost.Watchdog); // Kill, not Resume
        Assert.True((await pool.GetStatsAsync()).Killed);

        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }
}
