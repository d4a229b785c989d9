using Actorpool.Hosting.Tests.Support;
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
        Assert.Equal("hello bridge", info.Properties["Message"]);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
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
