using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Actorpool.Hosting.Logging;

/// <summary>
/// An Akka logger actor (listed in <c>akka.loggers</c>) that writes Akka's log events to Microsoft.Extensions.Logging:
/// the category is the class that logged (or <see cref="DefaultCategory"/>), the actor path goes in as AkkaSource.
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
                var setup = Context.System.Settings.Setup.Get<LoggerFactorySetup>();
                _factory = setup.HasValue ? setup.Value.LoggerFactory : NullLoggerFactory.Instance;
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent logEvent:
                Write(logEvent);
                return true;
            default:
                return false;
        }
    }

    private void Write(LogEvent logEvent)
    {
        var logger = _factory.CreateLogger(logEvent.LogClass?.FullName ?? DefaultCategory);
        var level = LevelOf(logEvent.LogLevel());
        if (!logger.IsEnabled(level))
        {
            return;
        }

        logger.Log(level, default, new AkkaLogState(logEvent.LogSource, logEvent.Message?.ToString() ?? string.Empty), logEvent.Cause, AkkaLogState.Format);
    }

    private static LogLevel LevelOf(AkkaLogLevel level) => level switch
    {
        AkkaLogLevel.DebugLevel => LogLevel.Debug,
        AkkaLogLevel.InfoLevel => LogLevel.Information,
        AkkaLogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
