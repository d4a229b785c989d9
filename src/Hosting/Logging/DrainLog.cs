using Microsoft.Extensions.Logging;

namespace Actorpool.Hosting.Logging;

/// <summary>The drain's events when the host (or the actor system's CoordinatedShutdown) stops the pools (ids 1101–1199, stable).</summary>
internal static partial class DrainLog
{
    [LoggerMessage(EventId = 1101, EventName = "DrainBegun", Level = LogLevel.Information,
        Message = "Draining {PoolCount} pools (started by {Trigger}; deadline {Deadline})")]
    public static partial void Begun(ILogger logger, int poolCount, string trigger, TimeSpan? deadline);

    [LoggerMessage(EventId = 1102, EventName = "PoolDrained", Level = LogLevel.Information,
        Message = "Pool {PoolName} drained; {Completed} jobs completed over its life")]
    public static partial void PoolDrained(ILogger logger, string poolName, long completed);

    [LoggerMessage(EventId = 1103, EventName = "PoolDrainCutOff", Level = LogLevel.Warning,
        Message = "Pool {PoolName} drain cut off by the shutdown deadline ({Deadline}); over its life {Completed} jobs completed and {Cancelled} were cancelled")]
    public static partial void PoolCutOff(ILogger logger, string poolName, TimeSpan? deadline, long cancelled, long completed);

    [LoggerMessage(EventId = 1104, EventName = "DrainAbandoned", Level = LogLevel.Warning,
        Message = "The pools had not finished draining when the host's shutdown timeout expired")]
    public static partial void Abandoned(ILogger logger);

    [LoggerMessage(EventId = 1105, EventName = "PoolDrainFailed", Level = LogLevel.Error,
        Message = "Pool {PoolName} failed while draining")]
    public static partial void PoolFailed(ILogger logger, Exception cause, string poolName);

    [LoggerMessage(EventId = 1106, EventName = "DrainFinished", Level = LogLevel.Information,
        Message = "Drain finished: {PoolCount} pools, {Completed} jobs completed and {Cancelled} cancelled over their lives, {CutOff} pools cut off")]
    public static partial void Finished(ILogger logger, int poolCount, long completed, long cancelled, int cutOff);

    [LoggerMessage(EventId = 1107, EventName = "DrainDeadlineShortened", Level = LogLevel.Warning,
        Message = "The drain deadline ({Deadline}) is longer than the CoordinatedShutdown phase {Phase} allows ({PhaseTimeout}); draining for at most {Used}. Raise akka.coordinated-shutdown.phases.{Phase}.timeout to give it longer")]
    public static partial void DeadlineShortened(ILogger logger, TimeSpan? deadline, string phase, TimeSpan phaseTimeout, TimeSpan used);
}
