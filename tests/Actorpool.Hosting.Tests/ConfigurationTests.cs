using Actorpool.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting.Tests;

public class ConfigurationTests
{
    [Fact(Timeout = 30_000)]
    public async Task BindConfiguration_ReadsTheSection_AndWinsOverCode()
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Actorpool:SystemName"] = "from-config",
            ["Actorpool:DrainTimeout"] = "00:00:03",
        };
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools
                .BindConfiguration()
                .Configure(o => o.SystemName = "from-code")),
            configuration);

        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        Assert.Equal("from-config", host.Services.GetRequiredService<IPoolRegistry>().System.Name);
        Assert.Equal(TimeSpan.FromSeconds(3), host.Services.GetRequiredService<IOptions<ActorpoolOptions>>().Value.DrainTimeout);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("SystemName", "bad name", "Actorpool:SystemName", "'bad name'")]
    [InlineData("DrainTimeout", "-00:00:01", "Actorpool:DrainTimeout", "-00:00:01")]
    [InlineData("HealthRestartThreshold", "0", "Actorpool:HealthRestartThreshold", "was 0")]
    [InlineData("HealthRestartWindow", "00:00:00", "Actorpool:HealthRestartWindow", "was 00:00:00")]
    [InlineData("Pools:a:Workers", "0", "Actorpool:Pools:a:Workers", "was 0")]
    [InlineData("Pools:a:Backlog", "-3", "Actorpool:Pools:a:Backlog", "was -3")]
    [InlineData("Pools:a:Prefetch", "0", "Actorpool:Pools:a:Prefetch", "was 0")]
    [InlineData("Pools:a:FailureLogLevel", "7", "Actorpool:Pools:a:FailureLogLevel", "was 7")]
    [InlineData("Pools:a:MinWorkers", "-1", "Actorpool:Pools:a:MinWorkers", "was -1")]
    [InlineData("Pools:a:Dispatcher", " ", "Actorpool:Pools:a:Dispatcher", "was ' '")]
    [InlineData("Pools:a:SupervisorDispatcher", " ", "Actorpool:Pools:a:SupervisorDispatcher", "was ' '")]
    [InlineData("Pools:a:Panic:MaxRestarts", "-2", "Actorpool:Pools:a:Panic:MaxRestarts", "was -2")]
    [InlineData("Pools:a:Panic:Window", "00:00:00", "Actorpool:Pools:a:Panic:Window", "was 00:00:00")]
    [InlineData("Pools:a:Panic:InitialBackoff", "-00:00:01", "Actorpool:Pools:a:Panic:InitialBackoff", "was -00:00:01")]
    [InlineData("Pools:a:Panic:JobRetries", "-1", "Actorpool:Pools:a:Panic:JobRetries", "was -1")]
    [InlineData("Hocon", "akka.loglevel = ${nowhere}", "Actorpool:Hocon", "${nowhere}")]
    public async Task InvalidValue_FailsTheStart_NamingTheKeyAndTheValue(string key, string value, string expectedKey, string expectedValue)
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools.BindConfiguration()),
            new Dictionary<string, string?> { ["Actorpool:" + key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        Assert.Contains(expectedKey, error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedValue, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task MinWorkersAboveMaxWorkers_FailsTheStart_NamingBothKeys()
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools.BindConfiguration()),
            new Dictionary<string, string?> { ["Actorpool:Pools:a:MinWorkers"] = "5", ["Actorpool:Pools:a:MaxWorkers"] = "2" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        Assert.Contains("Actorpool:Pools:a:MaxWorkers must be at least Actorpool:Pools:a:MinWorkers (5), was 2.", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task UnknownPanicKind_FailsTheStart_NamingTheKeyAndTheValue()
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools.BindConfiguration()),
            new Dictionary<string, string?> { ["Actorpool:Pools:a:Panic:Kind"] = "Explode" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        Assert.Contains("Actorpool:Pools:a:Panic:Kind must be Kill, Respawn or Resume, was 'Explode'.", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ValueOfTheWrongType_FailsTheStart_NamingTheKeyAndTheValue()
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools.BindConfiguration("Custom:Section")),
            new Dictionary<string, string?> { ["Custom:Section:HealthRestartThreshold"] = "many" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        Assert.Contains("Custom:Section:HealthRestartThreshold", error.Message, StringComparison.Ordinal);
        Assert.Contains("many", error.Message, StringComparison.Ordinal);
    }
    [Theory(Timeout = 30_000)]
    [InlineData("Actorpool:SystemNme", "x", "Actorpool:SystemNme", "did you mean 'SystemName'?")]
    [InlineData("Actorpool:Workerz", "2", "Actorpool:Workerz", "is not a known setting; the settings here are SystemName, ")]
    [InlineData("Actorpool:DrainTimout", "00:00:01", "Actorpool:DrainTimout", "did you mean 'DrainTimeout'?")]
    [InlineData("Actorpool:Pools:a:DrainTimout", "00:00:01", "Actorpool:Pools:a:DrainTimout", "is not a known setting; the settings here are Workers, ")]
    [InlineData("Actorpool:Pools:a:Wokers", "2", "Actorpool:Pools:a:Wokers", "did you mean 'Workers'?")]
    [InlineData("Actorpool:Pools:a:Panic:Kindd", "Kill", "Actorpool:Pools:a:Panic:Kindd", "did you mean 'Kind'?")]
    [InlineData("Actorpool:pools:a:panic:maxrestart", "1", "Actorpool:pools:a:panic:maxrestart", "did you mean 'MaxRestarts'?")]
    public async Task UnknownKey_FailsTheStart_NamingTheKeyAndTheNearestName(string key, string value, string expectedKey, string expectedHint)
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools
                .BindConfiguration()
                .AddPool<int>("a", o => o with { Init = i => i })),
            new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestHost.Watchdog));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith(expectedKey + " is not a known setting", failure, StringComparison.Ordinal);
        Assert.Contains(expectedHint, failure, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task EveryValidKey_IncludingNestedPoolsAndPanic_StartsTheHost()
    {
        using var host = TestHost.Build(
            services => services.AddActorpool(pools => pools
                .BindConfiguration()
                .AddPool<int>("a", o => o with { Init = i => i })
                .AddPool<int>("b", o => o with { Init = i => i })),
            new Dictionary<string, string?>
            {
                ["Actorpool:SystemName"] = "all-keys",
                ["Actorpool:Hocon"] = "akka.loglevel = WARNING",
                ["Actorpool:DrainTimeout"] = "00:00:05",
                ["Actorpool:HealthRestartThreshold"] = "3",
                ["Actorpool:HealthRestartWindow"] = "00:01:00",
                ["Actorpool:Pools:a:Workers"] = "2",
                ["Actorpool:Pools:a:Backlog"] = "100",
                ["Actorpool:Pools:a:Prefetch"] = "2",
                ["Actorpool:Pools:a:Dispatcher"] = "akka.actor.default-dispatcher",
                ["Actorpool:Pools:a:SupervisorDispatcher"] = "akka.actor.default-dispatcher",
                ["Actorpool:Pools:a:JobTimeout"] = "00:00:30",
                ["Actorpool:Pools:a:Panic:Kind"] = "Respawn",
                ["Actorpool:Pools:a:Panic:MaxRestarts"] = "5",
                ["Actorpool:Pools:a:Panic:Window"] = "00:01:00",
                ["Actorpool:Pools:a:Panic:InitialBackoff"] = "00:00:00.100",
                ["Actorpool:Pools:a:Panic:MaxBackoff"] = "00:00:01",
                ["Actorpool:Pools:a:Panic:JobRetries"] = "1",
                ["Actorpool:Pools:B:minworkers"] = "1",
                ["Actorpool:Pools:B:MaxWorkers"] = "3",
                ["Actorpool:Pools:b:OwnThreads"] = "true",
            });

        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        Assert.Equal("all-keys", host.Services.GetRequiredService<IPoolRegistry>().System.Name);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }
}
