using System.Globalization;
using Actorpool.Actors.Dispatch;
using Actorpool.Hosting.Logging;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting;

/// <summary>Creates the actor system for the host, or joins one the application owns, and terminates only what it created.</summary>
internal sealed class ActorSystemHost(
    IServiceProvider services,
    ActorpoolRegistration registration,
    IOptions<ActorpoolOptions> options,
    ILoggerFactory loggerFactory)
{
    // Written once by Start on the host's start path; read by any thread afterwards.
    private ActorSystem? _system;

    /// <summary>The running system.</summary>
    public ActorSystem System => Volatile.Read(ref _system)
        ?? throw new InvalidOperationException("The Actorpool actor system is not available: the host has not started yet.");

    /// <summary><c>true</c> when the host created the system and so terminates it.</summary>
    public bool Owned { get; private set; }

    public ActorSystem Start()
    {
        var external = registration.SystemFactory?.Invoke(services) ?? services.GetService<ActorSystem>();
        Owned = external is null;
        var system = external ?? Create(options.Value);
        // Before any pool or user actor: the dispatcher's defaults go in under the HOCON the system was given.
        system.UseActorpool();
        Volatile.Write(ref _system, system);
        return system;
    }

    /// <summary>Runs CoordinatedShutdown on an owned system and waits for termination, at most until <paramref name="cancellationToken"/>.</summary>
    public async Task<bool> TerminateAsync(CancellationToken cancellationToken)
    {
        if (!Owned || Volatile.Read(ref _system) is not { } system)
        {
            return true;
        }

        try
        {
            await CoordinatedShutdown.Get(system).Run(HostStopReason.Instance).WaitAsync(cancellationToken).ConfigureAwait(false);
            await system.WhenTerminated.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private ActorSystem Create(ActorpoolOptions settings)
    {
        var config = BuildConfig(settings, AkkaLevelFor(loggerFactory.CreateLogger(LoggerBridge.DefaultCategory)));
        var setup = BootstrapSetup.Create().WithConfig(config).And(new LoggerFactorySetup(loggerFactory));
        return ActorSystem.Create(settings.SystemName, setup);
    }

    /// <summary>The configuration of an owned system: the user's HOCON over Actorpool's defaults, with the host driving shutdown.</summary>
    internal static Config BuildConfig(ActorpoolOptions settings, string logLevel)
    {
        var defaults = ConfigurationFactory.ParseString($$"""
            akka {
              loggers = ["{{typeof(LoggerBridge).FullName}}, {{typeof(LoggerBridge).Assembly.GetName().Name}}"]
              loglevel = {{logLevel}}
              stdout-loglevel = WARNING
              log-dead-letters-during-shutdown = off
              coordinated-shutdown.exit-clr = off
              coordinated-shutdown.phases.{{ActorpoolDefaults.DrainPhase}}.timeout = {{ActorpoolDefaults.DrainPhaseTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}}ms
            }
            """);
        // The host, not the CLR exit hook, drives shutdown: .NET 10 handles SIGTERM in the host's lifetime,
        // and a second shutdown started from ProcessExit would race the drain.
        var forced = ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off");
        var user = string.IsNullOrWhiteSpace(settings.Hocon) ? Config.Empty : HoconGuard.Parse(settings.Hocon);
        return forced.WithFallback(user).WithFallback(defaults);
    }

    private static string AkkaLevelFor(ILogger logger) =>
        logger.IsEnabled(LogLevel.Debug) ? "DEBUG"
        : logger.IsEnabled(LogLevel.Information) ? "INFO"
        : logger.IsEnabled(LogLevel.Warning) ? "WARNING"
        : logger.IsEnabled(LogLevel.Error) ? "ERROR"
        : "OFF";

    private sealed class HostStopReason : CoordinatedShutdown.Reason
    {
        public static readonly HostStopReason Instance = new();

        public override int ExitCode => 0;

        public override string ToString() => "The host is stopping";
    }
}
