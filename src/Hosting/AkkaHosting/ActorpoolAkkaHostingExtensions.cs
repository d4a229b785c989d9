using System.Globalization;
using Actorpool.Actors.Dispatch;
using Actorpool.Hosting;
using Actorpool.Hosting.Logging;
using Akka.Configuration;

namespace Akka.Hosting;

/// <summary>
/// Runs Actorpool on the actor system Akka.Hosting owns. In the <c>Akka.Hosting</c> namespace, next to
/// <see cref="AkkaConfigurationBuilder"/>'s other <c>With…</c> methods, as <c>AddActorpool</c> sits in DI's namespace.
/// </summary>
public static class ActorpoolAkkaHostingExtensions
{
    /// <summary>
    /// Prepares the Akka.Hosting system for Actorpool: installs its dispatcher and mailbox when the system starts (so
    /// actors made by <c>WithActors</c> may name <c>actorpool.work-stealing-dispatcher</c>), sends Akka's log events to
    /// the host's <c>ILoggerFactory</c> instead of stdout (call it after any <c>ConfigureLoggers</c>, which replaces the
    /// logger list), and gives the CoordinatedShutdown phase the pools drain in
    /// (<see cref="ActorpoolDefaults.DrainPhase"/>) <see cref="ActorpoolDefaults.DrainPhaseTimeout"/> unless the HOCON sets it.
    /// The pools themselves are registered with <c>services.AddActorpool(...)</c>, in either order with <c>AddAkka</c>:
    /// they run on this system, drain before it shuts down, and are in its <see cref="ActorRegistry"/>
    /// (under <c>IPool&lt;TState&gt;</c> for the first pool of a state type, and under any key given to <c>AddPool&lt;TState, TKey&gt;</c>).
    /// </summary>
    public static AkkaConfigurationBuilder WithActorpool(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithExtension<ActorpoolExtensionProvider>();
        var bridge = $"{typeof(LoggerBridge).FullName}, {typeof(LoggerBridge).Assembly.GetName().Name}";
        builder.AddHocon(ConfigurationFactory.ParseString($"akka.loggers = [\"{bridge}\"]"), HoconAddMode.Prepend);
        var timeout = ActorpoolDefaults.DrainPhaseTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture);
        builder.AddHocon(
            ConfigurationFactory.ParseString($"akka.coordinated-shutdown.phases.{ActorpoolDefaults.DrainPhase}.timeout = {timeout}ms"),
            HoconAddMode.Append);
        return builder;
    }
}
