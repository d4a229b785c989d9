using Actorpool.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actorpool.Hosting.Tests;

public class RegistrationTests
{
    [Fact(Timeout = 30_000)]
    public async Task AddActorpool_CalledTwice_RegistersOneHostedServiceAndOneSystem()
    {
        using var host = TestHost.Build(services => services
            .AddActorpool(pools => pools.BindConfiguration())
            .AddActorpool(pools => pools.BindConfiguration()));

        Assert.Single(host.Services.GetServices<IHostedService>().OfType<ActorpoolHostedService>());
        await host.StartAsync().WaitAsync(TestHost.Watchdog);
        Assert.Same(host.Services.GetRequiredService<IPoolRegistry>(), host.Services.GetRequiredService<IPoolRegistry>());
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    [Fact]
    public void AddActorpool_CalledTwice_ExtendsTheFirstRegistration()
    {
        var services = new ServiceCollection();
        services.AddActorpool(pools => pools.BindConfiguration("First"));
        var count = services.Count;

        services.AddActorpool(pools => pools.BindConfiguration("First"));

        Assert.Equal(count, services.Count);
    }

    [Fact]
    public void Builder_RejectsNullAndBlankArguments()
    {
        var services = new ServiceCollection();
        services.AddActorpool(pools =>
        {
            Assert.Throws<ArgumentException>(() => pools.BindConfiguration(" "));
            Assert.Throws<ArgumentNullException>(() => pools.Configure(null!));
            Assert.Throws<ArgumentNullException>(() => pools.UseActorSystem(null!));
        });
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        var options = new ActorpoolOptions();
        Assert.Equal("Actorpool", ActorpoolDefaults.SectionName);
        Assert.Equal("actorpool", options.SystemName);
        Assert.Null(options.Hocon);
        Assert.Null(options.DrainTimeout);
        Assert.Equal(5, options.HealthRestartThreshold);
        Assert.Equal(TimeSpan.FromMinutes(1), options.HealthRestartWindow);
        Assert.Equal("service-requests-done", ActorpoolDefaults.DrainPhase);
        Assert.Equal(TimeSpan.FromSeconds(30), ActorpoolDefaults.DrainPhaseTimeout);
    }
}
