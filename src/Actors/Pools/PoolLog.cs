using Akka.Event;

namespace Actorpool.Actors.Pools;

/// <summary>
/// The pool's own log events, written through Akka's <see cref="ILoggingAdapter"/> as message templates with named
/// placeholders (Akka's default SemanticLogMessageFormatter keeps the names). Each event has a stable id and name, so
/// a bridge to Microsoft.Extensions.Logging can give it an EventId: <see cref="Find"/> maps a template back to its event.
/// </summary>
internal static class PoolLog
{
    public static readonly PoolLogEvent JobFailed = new(2001, nameof(JobFailed),
        "Pool {PoolName}: a job failed on {Worker} and its caller got the exception: {ExceptionType}: {ExceptionMessage}");

    public static readonly PoolLogEvent WorkerRestarted = new(2002, nameof(WorkerRestarted),
        "Pool {PoolName} restarts {Worker} after {ExceptionType}: {ExceptionMessage}");

    public static readonly PoolLogEvent WorkerStopped = new(2003, nameof(WorkerStopped),
        "Pool {PoolName} stops {Worker} after {ExceptionType}: {ExceptionMessage}");

    public static readonly PoolLogEvent PoolKilled = new(2004, nameof(PoolKilled),
        "Pool {PoolName} killed by its panic policy");

    public static readonly PoolLogEvent FailedAfterKill = new(2005, nameof(FailedAfterKill),
        "Pool {PoolName} failed while {During} after it was killed");

    public static readonly PoolLogEvent ScaleClamped = new(2006, nameof(ScaleClamped),
        "Scale function of pool {PoolName} asked for {Requested} workers; clamped to MaxWorkers {MaxWorkers}");

    public static readonly PoolLogEvent ScaleThrew = new(2007, nameof(ScaleThrew),
        "Scale function of pool {PoolName} threw; keeping {Workers} workers");

    private static readonly Dictionary<string, PoolLogEvent> ByTemplate = new[]
    {
        JobFailed, WorkerRestarted, WorkerStopped, PoolKilled, FailedAfterKill, ScaleClamped, ScaleThrew,
    }.ToDictionary(e => e.Template, StringComparer.Ordinal);

    /// <summary>The event whose template is <paramref name="template"/>, or <c>null</c> (not one of the pool's).</summary>
    public static PoolLogEvent? Find(string? template) =>
        template is not null && ByTemplate.TryGetValue(template, out var found) ? found : null;

    /// <summary>Writes <paramref name="logEvent"/> at <paramref name="level"/> with its values in placeholder order.</summary>
    public static void Write(this ILoggingAdapter log, LogLevel level, PoolLogEvent logEvent, Exception? cause, params object?[] values)
    {
        if (log.IsEnabled(level))
        {
            log.Log(level, cause, logEvent.Template, values);
        }
    }
}

/// <summary>One kind of pool log event: a stable id (never reused), a name, and its message template.</summary>
internal sealed record PoolLogEvent(int Id, string Name, string Template);
