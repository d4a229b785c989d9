using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Actors.Tests.Dispatch;

public sealed class ActorpoolExtensionSpecs : PoolSpec
{
    private const string Extensions = $"akka.extensions = [\"{ActorpoolExtensionProvider.HoconName}\"]";

    [Fact(Timeout = 30_000)]
    public async Task AnActorOfYourOwn_BeforeAnyPool_RunsOnTheDispatcher_WhenTheExtensionIsListed()
    {
        await WithSystemAsync("listed", Extensions, async system =>
        {
            var name = await AskThreadAsync(system);

            Assert.StartsWith("actorpool-worker", name, StringComparison.Ordinal);
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task AnActorOfYourOwn_BeforeAnyPool_RunsOnTheDispatcher_AfterUseActorpool()
    {
        await WithSystemAsync("code-first", "", async system =>
        {
            var name = await AskThreadAsync(system.UseActorpool());

            Assert.StartsWith("actorpool-worker", name, StringComparison.Ordinal);
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task APartialHoconOverride_MergesWithTheDefaults_ForActorsAndPools()
    {
        // threads alone: the type and the thread-name prefix come from the defaults, so a pool of three own threads.
        await WithSystemAsync("partial", $"{Extensions}\nactorpool.work-stealing-dispatcher.work-stealing.threads = 3", async system =>
        {
            var actorThread = await AskThreadAsync(system);
            var pool = system.SpawnPool(new PoolOptions<int> { Name = "partial-pool", Workers = 2, Init = i => i });
            var poolThreads = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => pool.RunAsync(_ => Thread.CurrentThread.Name))).WaitAsync(Watchdog);

            Assert.StartsWith("actorpool-dispatcher", actorThread, StringComparison.Ordinal);
            Assert.All(poolThreads, name => Assert.StartsWith("actorpool-dispatcher", name, StringComparison.Ordinal));
            Assert.Equal(3, system.Settings.Config.GetInt($"{WorkStealingDispatcher.Id}.work-stealing.threads"));
            await pool.DrainAsync().WaitAsync(Watchdog);
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task UseActorpool_AfterAkkaResolvedThePartialSectionOnItsOwn_ThrowsNamingTheDispatcher()
    {
        await WithSystemAsync("too-late", "actorpool.work-stealing-dispatcher.work-stealing.threads = 3", async system =>
        {
            _ = await AskThreadAsync(system); // Akka builds the dispatcher from the section alone: its default type

            var error = Assert.Throws<InvalidOperationException>(() => system.UseActorpool());

            Assert.Contains($"'{WorkStealingDispatcher.Id}'", error.Message, StringComparison.Ordinal);
            Assert.Contains(ActorpoolExtensionProvider.HoconName, error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void UseActorpool_IsIdempotent()
    {
        Assert.Same(ActorpoolExtension.Get(Sys.UseActorpool()), ActorpoolExtension.Get(Sys.UseActorpool()));
    }

    private static async Task<string> AskThreadAsync(ActorSystem system)
    {
        var echo = system.ActorOf(Props.Create(() => new ThreadEcho()).WithDispatcher(WorkStealingDispatcher.Id));
        return await echo.Ask<string>("which thread?", Watchdog);
    }

    private static async Task WithSystemAsync(string name, string hocon, Func<ActorSystem, Task> body)
    {
        var system = ActorSystem.Create(name, "akka.loglevel = WARNING\n" + hocon);
        try
        {
            await body(system);
        }
        finally
        {
            await system.Terminate().WaitAsync(Watchdog);
        }
    }

    private sealed class ThreadEcho : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(Thread.CurrentThread.Name ?? "");
    }
}
