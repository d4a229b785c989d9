using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;

namespace Actorpool.Actors.Dispatch;

/// <summary>
/// The Akka dispatcher whose threads are a Core <see cref="WorkStealingPool"/>: mailbox runs are queued as
/// background (FIFO) work, so actors and the jobs' own <c>Join</c>/<c>For</c> share the same threads without
/// oversubscribing the machine. Pool workers use it unless <c>PoolOptions.Dispatcher</c> says otherwise.
/// </summary>
/// <remarks>
/// Idle pool threads spin for <c>spin-time</c> and then park; a lone request reaching a parked pool pays the
/// wake-up (tens of microseconds on a loaded machine). A thread woken soon after parking doubles its spin window
/// up to <c>max-spin-time</c> (the shared default pool: 800 µs), so a request/response rhythm stops parking. A pool whose single-request latency matters more than
/// sharing threads with Join/For can opt out with <c>Dispatcher = "akka.actor.default-dispatcher"</c>.
/// </remarks>
public static class WorkStealingDispatcher
{
    /// <summary>The dispatcher id; configure it in HOCON under this path (see <see cref="DefaultConfig"/>).</summary>
    public const string Id = "actorpool.work-stealing-dispatcher";

    /// <summary>
    /// The default HOCON: <c>threads = 0</c> means the shared <see cref="WorkStealingPool.Default"/> (so a job's
    /// <c>WorkStealingPool.Default.Join</c> runs on the same threads); a positive count gives the dispatcher a pool
    /// of its own with that many threads and <c>spin-time</c>.
    /// </summary>
    public static Config DefaultConfig { get; } = ConfigurationFactory.ParseString($$"""
        {{Id}} {
          type = "{{typeof(WorkStealingDispatcherConfigurator).FullName}}, {{typeof(WorkStealingDispatcherConfigurator).Assembly.GetName().Name}}"
          throughput = 30
          throughput-deadline-time = 0ms
          shutdown-timeout = 1s
          work-stealing {
            threads = 0
            spin-time = 50micros
            max-spin-time = 800micros
            thread-name-prefix = "actorpool-dispatcher"
          }
        }
        """);

    /// <summary>
    /// Makes <see cref="Id"/> resolvable in <paramref name="system"/> (user HOCON under that path wins over the
    /// defaults). Idempotent and thread-safe; <c>SpawnPool</c> and <see cref="ActorpoolExtension"/> call it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Akka already built the dispatcher from HOCON that lacks Actorpool's <c>type</c>.</exception>
    public static void Register(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (Registered.TryGetValue(system, out _))
        {
            return;
        }

        var dispatchers = system.Dispatchers;
        var config = ConfigurationFactory.ParseString($"id = \"{Id}\"")
            .WithFallback(system.Settings.Config.GetConfig(Id) ?? Config.Empty)
            .WithFallback(DefaultConfig.GetConfig(Id))
            .WithFallback(system.Settings.Config.GetConfig("akka.actor.default-dispatcher"));
        // Akka keeps the first configurator of an id. One it built itself from the user's HOCON alone (an actor used the
        // id before Actorpool was installed) lacks our type and would quietly run on Akka's default executor: refuse.
        if (!dispatchers.RegisterConfigurator(Id, new WorkStealingDispatcherConfigurator(config, dispatchers.Prerequisites))
            && dispatchers.Lookup(Id) is not IntakeDispatcher)
        {
            throw new InvalidOperationException(
                $"Dispatcher '{Id}' was already resolved in actor system '{system.Name}' without Actorpool's defaults " +
                $"(an actor used it before Actorpool was installed), so it runs on Akka's default executor. Call " +
                $"system.UseActorpool() right after creating the system, or list \"{ActorpoolExtensionProvider.HoconName}\" in akka.extensions.");
        }

        Registered.TryAdd(system, Marker);
    }

    private static readonly object Marker = new();

    // Systems where Id is registered (weak: a terminated system is collected).
    private static readonly ConditionalWeakTable<ActorSystem, object> Registered = new();
}

/// <summary>Builds the <see cref="WorkStealingDispatcher"/> from its HOCON section (referenced by its <c>type</c>).</summary>
internal sealed class WorkStealingDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly MessageDispatcher _instance;

    /// <summary>Reads <c>throughput</c>, <c>throughput-deadline-time</c>, <c>shutdown-timeout</c> and the <c>work-stealing</c> block.</summary>
    public WorkStealingDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
        var deadline = Config.GetTimeSpan("throughput-deadline-time", TimeSpan.Zero);
        _instance = new IntakeDispatcher(
            this,
            Config.GetString("id", WorkStealingDispatcher.Id),
            Config.GetInt("throughput", 30),
            deadline > TimeSpan.Zero ? deadline.Ticks : null,
            new WorkStealingExecutorConfigurator(Config, prerequisites),
            Config.GetTimeSpan("shutdown-timeout", TimeSpan.FromSeconds(1)));
    }

    /// <summary>The one dispatcher instance of this configuration.</summary>
    public override MessageDispatcher Dispatcher() => _instance;
}
