using Actorpool.Hosting.Tests.Support;
using Actorpool.Actors.Supervision;
using Actorpool.Hosting.Pools;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Actorpool.Hosting.Tests.Logging;

public class LoggingBridgeTests
{
    [Fact(Timeout = 30_000)]
    public async Task AkkaLogEvents_ReachILogger_WithLevelSourceAndCause()
    {
        var logs = new CapturingLoggerProvider();
        using var host = TestHost.Build(services => services.AddActorpool(), logs: logs);
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var system = host.Services.GetRequiredService<IPoolRegistry>().System;
        var cause = new InvalidOperationException("boom");

        system.Log.Info("hello {0}", "bridge");
        system.Log.Error(cause, "it failed");

        var info = await logs.WaitForAsync(e => e.Message.EndsWith("hello bridge", StringComparison.Ordinal)).WaitAsync(TestHost.Watchdog);
        var error = await logs.WaitForAsync(e => e.Message.EndsWith("it failed", StringComparison.Ordinal)).WaitAsync(TestHost.Watchdog);
        Assert.Equal(MsLogLevel.Information, info.Level);
        Assert.Equal(MsLogLevel.Error, error.Level);
        Assert.Same(cause, error.Exception);
        Assert.NotNull(info.Properties["AkkaSource"]);
        Assert.Equal("bridge", info.Properties["0"]); // a positional template's values keep their positions as names
        Assert.Equal("hello {0}", info.Properties["{OriginalFormat}"]);
        Assert.Equal(0, info.EventId.Id); // not one of the pool's events
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact(Timeout = 60_000)]
    public async Task PoolEvents_ReachILogger_WithStableEventIdsAndNamedValues()
    {
        var logs = new CapturingLoggerProvider();
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools.AddPool<int>("structured", o => o with
            {
                Init = i => i,
                Workers = 2,
                Panic = PanicPolicy.Resume,
                FailureLogLevel = LogLevel.WarningLevel,
            })),
            logs: logs);
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        var pool = host.Services.GetRequiredService<IPool<int>>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RunAsync<int>(int (_) => throw new InvalidOperationException("boom"))).WaitAsync(TestHost.Watchdog);
        Assert.Equal(7, await pool.RunAsync(_ => 7).WaitAsync(TestHost.Watchdog));
        var failure = await logs.WaitForAsync(e => e.EventId.Name == "JobFailed").WaitAsync(TestHost.Watchdog);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);

        var started = Assert.Single(logs.Entries, e => e.EventId.Name == "PoolStarted");
        Assert.Equal(1002, started.EventId.Id);
        Assert.Equal("structured", started.Properties["PoolName"]);
        Assert.Equal(2, started.Properties["Workers"]);

        var finished = Assert.Single(logs.Entries, e => e.EventId.Name == "DrainFinished");
        Assert.Equal(1106, finished.EventId.Id);
        Assert.Equal(1L, finished.Properties["Completed"]);
        Assert.Equal(0L, finished.Properties["Cancelled"]);

        Assert.Equal(2001, failure.EventId.Id);
        Assert.Equal(MsLogLevel.Warning, failure.Level);
        Assert.Equal("structured", failure.Properties["PoolName"]);
        Assert.Equal(nameof(InvalidOperationException), failure.Properties["ExceptionType"]);
        Assert.Equal("boom", failure.Properties["ExceptionMessage"]);
        Assert.StartsWith("worker-", (string)failure.Properties["Worker"]!, StringComparison.Ordinal);
        Assert.Equal("Pool structured: a job failed on {Worker} and its caller got the exception: InvalidOperationException: boom",
            failure.Message.Replace((string)failure.Properties["Worker"]!, "{Worker}", StringComparison.Ordinal));
    }

    [Theory(Timeout = 30_000)]
    [InlineData(true, LogLevel.InfoLevel)]
    [InlineData(false, (LogLevel)int.MaxValue)]
    public async Task AkkaLogLevel_FollowsWhatTheHostsLoggersWouldWrite(bool withProvider, LogLevel expected)
    {
        using var host = TestHost.Build(services => services.AddActorpool(), logs: withProvider ? new CapturingLoggerProvider() : null);
        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        Assert.Equal(expected, host.Services.GetRequiredService<IPoolRegistry>().System.EventStream.LogLevel);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }
}
