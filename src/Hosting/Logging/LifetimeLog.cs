using Microsoft.Extensions.Logging;

namespace Actorpool.Hosting.Logging;

/// <summary>The hosting layer's start and stop events (ids 1001–1099, stable: never reused for another event).</summary>
internal static partial class LifetimeLog
{
    [LoggerMessage(EventId = 1001, EventName = "Started", Level = LogLevel.Information,
        Message = "Actorpool started on actor system {SystemName} (owned by the host: {Owned})")]
    public static partial void Started(ILogger logger, string systemName, bool owned);

    [LoggerMessage(EventId = 1002, EventName = "PoolStarted", Level = LogLevel.Information,
        Message = "Pool {PoolName} started with {Workers} workers")]
    public static partial void PoolStarted(ILogger logger, string poolName, int workers);

    [LoggerMessage(EventId = 1003, EventName = "PoolFailedToStart", Level = LogLevel.Error,
        Message = "Pool {PoolName} failed to start; the host will not start")]
    public static partial void PoolFailedToStart(ILogger logger, Exception cause, string poolName);

    [LoggerMessage(EventId = 1004, EventName = "TerminatedOnItsOwn", Level = LogLevel.Warning,
        Message = "Actor system {SystemName} terminated on its own; asking the host to stop")]
    public static partial void TerminatedOnItsOwn(ILogger logger, string systemName);

    [LoggerMessage(EventId = 1005, EventName = "TerminationTimedOut", Level = LogLevel.Warning,
        Message = "Actor system {SystemName} did not terminate within the host's shutdown timeout")]
    public static partial void TerminationTimedOut(ILogger logger, string systemName);

    [LoggerMessage(EventId = 1006, EventName = "ShutDownByCoordinatedShutdown", Level = LogLevel.Information,
        Message = "Actor system {SystemName} was shut down by its CoordinatedShutdown ({Reason}); asking the host to stop")]
    public static partial void ShutDownByCoordinatedShutdown(ILogger logger, string systemName, string reason);

    [LoggerMessage(EventId = 1007, EventName = "DrainTaskNotRegistered", Level = LogLevel.Warning,
        Message = "Actor system {SystemName} is already shutting down: the pools' drain could not join its CoordinatedShutdown")]
    public static partial void DrainTaskNotRegistered(ILogger logger, Exception cause, string systemName);

    [LoggerMessage(EventId = 1008, EventName = "PoolRegistered", Level = LogLevel.Debug,
        Message = "Pool {PoolName} is in the ActorRegistry under {RegistryKey}")]
    public static partial void PoolRegistered(ILogger logger, string poolName, string registryKey);

    [LoggerMessage(EventId = 1009, EventName = "PoolTerminatedOnItsOwn", Level = LogLevel.Error,
        Message = "Pool {PoolName} stopped while the host runs (killed: {Killed}); its jobs are refused until the host restarts")]
    public static partial void PoolTerminatedOnItsOwn(ILogger logger, Exception? cause, string poolName, bool killed);
}
