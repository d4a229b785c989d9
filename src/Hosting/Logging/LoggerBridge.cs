using Actorpool.Actors.Pools;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AkkaLogLevel = Akka.Event.LogLevel;
using HostingLoggerFactorySetup = Akka.Hosting.Logging.LoggerFactorySetup;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Actorpool.Hosting.Logging;

/// <summary>
/// An Akka logger actor (listed in <c>akka.loggers</c>) that writes Akka's log events to Microsoft.Extensions.Logging:
/// the category is the class that logged (or <see cref="DefaultCategory"/>); the state carries the template's named
/// values, AkkaSource (the actor path) and the template, and the pool's own events get their stable EventId.
/// The logger factory comes from Actorpool's setup (a host-owned system) or from Akka.Hosting's (its AddAkka adds one).
/// </summary>
internal sealed class LoggerBridge : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public const string DefaultCategory = "Akka";

    // Owned by this actor: written on InitializeLogger, read on each event.
    private ILoggerFactory _factory = NullLoggerFactory.Instance;

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                _factory = FindFactory(Context.System.Settings.Setup);
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent logEvent:
                Write(logEvent);
                return true;
            default:
                return false;
        }
    }

    private static ILoggerFactory FindFactory(Akka.Actor.Setup.ActorSystemSetup setup)
    {
        var own = setup.Get<LoggerFactorySetup>();
        if (own.HasValue)
        {
            return own.Value.LoggerFactory;
        }

        var hosting = setup.Get<HostingLoggerFactorySetup>();
        return hosting.HasValue ? hosting.Value.LoggerFactory : NullLoggerFactory.Instance;
    }

    private void Write(LogEvent logEvent)
    {
        var logger = _factory.CreateLogger(logEvent.LogClass?.FullName ?? DefaultCategory);
        var level = LevelOf(logEvent.LogLevel());
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var eventId = PoolLog.Find((logEvent.Message as LogMessage)?.Format) is { } known ? new EventId(known.Id, known.Name) : default;
        logger.Log(level, eventId, new AkkaLogState(logEvent), logEvent.Cause, AkkaLogState.Format);
    }

    private static LogLevel LevelOf(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
