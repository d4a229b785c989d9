using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// The dispatcher of pools whose workers run on threads of their own (<c>PoolOptions.OwnThreads</c>): Akka's pinned
/// dispatcher, one dedicated thread per worker actor, for jobs that block (a synchronous driver call, a sleep), so a
/// pool of four such workers runs four jobs at once whatever the number of cores. Registered by <c>SpawnPool</c>.
/// </summary>
internal static class OwnThreadsDispatcher
{
    public const string Id = "actorpool.own-threads-dispatcher";

    // Systems where Id is registered (weak: a terminated system is collected).
    private static readonly ConditionalWeakTable<ActorSystem, object> Registered = new();

    /// <summary>Makes <see cref="Id"/> resolvable in <paramref name="system"/>. Idempotent and thread-safe.</summary>
    public static void Register(ActorSystem system)
    {
        if (Registered.TryGetValue(system, out _))
        {
            return;
        }

        // One dedicated thread per dispatcher (Akka's fork-join executor over its own thread pool), one dispatcher per actor.
        var config = ConfigurationFactory.ParseString($$"""
            id = "{{Id}}"
            executor = "fork-join-executor"
            fork-join-executor {
              parallelism-min = 1
              parallelism-factor = 1.0
              parallelism-max = 1
            }
            """)
            .WithFallback(system.Settings.Config.GetConfig("akka.actor.default-dispatcher"));
        system.Dispatchers.RegisterConfigurator(Id, new Configurator(config, system.Dispatchers.Prerequisites));
        Registered.TryAdd(system, Id);
    }

    /// <summary>A new pinned dispatcher (one thread) for every actor that asks.</summary>
    private sealed class Configurator : MessageDispatcherConfigurator
    {
        private readonly ExecutorServiceConfigurator _executor;

        public Configurator(Config config, IDispatcherPrerequisites prerequisites)
            : base(config, prerequisites)
        {
            _executor = ConfigureExecutor(); // the fork-join executor above: a new single thread for each dispatcher
        }

        public override MessageDispatcher Dispatcher() =>
            new PinnedDispatcher(this, Id, Config.GetInt("throughput", 30), null, _executor, Config.GetTimeSpan("shutdown-timeout", TimeSpan.FromSeconds(1)));
    }
}
