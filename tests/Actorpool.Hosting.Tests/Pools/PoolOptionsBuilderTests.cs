using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Actorpool.Dynamic;
using Actorpool.Hosting.Configuration;
using Actorpool.Hosting.Pools;
using Microsoft.Extensions.DependencyInjection;

namespace Actorpool.Hosting.Tests.Pools;

public class PoolOptionsBuilderTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    private static PoolOptions<int> Build(PoolSettings? settings, Func<PoolOptions<int>, PoolOptions<int>>? configure = null) =>
        PoolOptionsBuilder<int>.Build("p", (_, o) => (configure ?? (x => x with { Init = i => i, Workers = 2 }))(o), Services, settings);

    [Fact]
    public void WithoutConfiguration_KeepsWhatCodeSet()
    {
        var options = Build(null);
        Assert.Equal(("p", 2, PoolDefaults.Backlog, PoolDefaults.Prefetch, (string?)null), (options.Name, options.Workers, options.Backlog, options.Prefetch, options.Dispatcher));
        Assert.Null(options.Scale);
    }

    [Fact]
    public void ConfiguredValues_ReplaceCodeValues()
    {
        var options = Build(new PoolSettings { Workers = 5, Backlog = 9, Prefetch = 2, Dispatcher = "akka.actor.default-dispatcher", SupervisorDispatcher = "sup", JobTimeout = TimeSpan.FromSeconds(3), OwnThreads = false, FailureLogLevel = Akka.Event.LogLevel.WarningLevel });
        Assert.Equal((5, 9, 2, "akka.actor.default-dispatcher", "sup"), (options.Workers, options.Backlog, options.Prefetch, options.Dispatcher, options.SupervisorDispatcher));
        Assert.Equal(TimeSpan.FromSeconds(3), options.JobTimeout);
        Assert.Equal(Akka.Event.LogLevel.WarningLevel, options.FailureLogLevel);
    }

    [Fact]
    public void ScaleBounds_BecomeAScaleFunctionClampedToThem()
    {
        var options = Build(new PoolSettings { MinWorkers = 1, MaxWorkers = 4 });

        Assert.NotNull(options.Scale);
        Assert.Equal(Scale.Active(4), options.Scale(new PoolLoad(Backlog: 100, Busy: 3, Idle: 0, Workers: 3)));
        Assert.Equal(Scale.Active(1), options.Scale(new PoolLoad(Backlog: 0, Busy: 0, Idle: 3, Workers: 3)));
        Assert.Equal(Scale.Active(3), options.Scale(new PoolLoad(Backlog: 1, Busy: 2, Idle: 0, Workers: 2)));
    }

    [Fact]
    public void PanicSettings_ReplaceKindBudgetAndRetries_KeepingUnsetParts()
    {
        var options = Build(
            new PoolSettings { Panic = new PanicSettings { Kind = "Respawn", MaxRestarts = 3, InitialBackoff = TimeSpan.FromSeconds(1), JobRetries = 2 } },
            o => o with { Init = i => i, Panic = PanicPolicy.Kill });

        Assert.Equal(PanicKind.Respawn, options.Panic.Kind);
        Assert.Equal(3, options.Panic.Budget!.MaxRestarts);
        Assert.Equal(RestartBudget.Default.Window, options.Panic.Budget.Window);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Panic.Budget.InitialBackoff);
        Assert.Equal(2, options.Panic.JobRetries);
    }

    [Fact]
    public void SwitchingToRespawnFromConfiguration_KeepsABudget()
    {
        var options = Build(new PoolSettings { Panic = new PanicSettings { Kind = "respawn" } }, o => o with { Init = i => i, Panic = PanicPolicy.Kill });
        Assert.Equal(RestartBudget.Default, options.Panic.Budget);
    }

    [Fact]
    public void ConfigureThatRenamesThePool_IsRejectedNamingBothNames()
    {
        var error = Assert.Throws<ArgumentException>(() => Build(null, o => o with { Name = "other", Init = i => i }));
        Assert.Contains("Pool 'p': the configure callback must keep Name, was 'other'.", error.Message, StringComparison.Ordinal);
    }
}
