using Akka.Actor.Setup;
using Microsoft.Extensions.Logging;

namespace Actorpool.Hosting.Logging;

/// <summary>Hands the host's <see cref="ILoggerFactory"/> to the <see cref="LoggerBridge"/> actor the system creates.</summary>
internal sealed class LoggerFactorySetup(ILoggerFactory loggerFactory) : Setup
{
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
}
