using Actorpool.Actors.Dispatch;
using Actorpool.Hosting.Tests.Support;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;

namespace Actorpool.Hosting.Tests.Pools;

public class DispatcherHostingTests
{
    [Fact(Timeout = 30_000)]
    public async Task APartialDispatcherOverrideInHocon_MergesWithTheDefaults_InTheHostedSystem_EvenWithoutPools()
    {
        // No pool: nothing but the host's start installs the dispatcher before the actor below names it.
        using var host = TestHost.Build(services => services.AddActorpool(pools => pools
            .Configure(o => o.Hocon = "actorpool.work-stealing-dispatcher.work-stealing.threads = 2")));
        await host.StartAsync().WaitAsync(TestHost.Watchdog);

        var system = host.Services.GetRequiredService<IPoolRegistry>().System;
        var echo = system.ActorOf(Props.Create(() => new ThreadEcho()).WithDispatcher(WorkStealingDispatcher.Id));
        var actorThread = await echo.Ask<string>("which thread?", TestHost.Watchdog);

        // Own threads (threads = 2) with the default prefix: the user's key and Actorpool's type both applied.
        Assert.StartsWith("actorpool-dispatcher", actorThread, StringComparison.Ordinal);
        await host.StopAsync().WaitAsync(TestHost.Watchdog);
    }

    private sealed class ThreadEcho : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(Thread.CurrentThread.Name ?? "");
    }
}
