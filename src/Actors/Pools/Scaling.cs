using Actorpool.Dynamic;
using Akka.Event;

namespace Actorpool.Actors.Pools;

/// <summary>
/// How many workers a pool runs: the fixed count, or what its scale function answers (asked at most once per cache
/// period unless forced, clamped to MaxWorkers, a throw logged and the last answer kept). Every <see cref="Scale"/>
/// kind is honoured: the lowest-index live workers take jobs (Active's count); above them, up to Mixed's MaxInactive
/// (NoTerm: all) stay alive with their state but get no new job; the rest retire. Plain single-threaded state owned
/// by the pool actor, which spawns the workers it asks for.
/// </summary>
internal sealed class Scaling<TState>(PoolOptions<TState> options, Func<PoolLoad> load, ILoggingAdapter log)
{
    private int _keepWarm;  // workers above Target that stay alive without jobs (Scale.Mixed, NoTerm)
    private int _inactive;  // live workers flagged Inactive now
    private long _askedAt;
    private bool _asked;

    /// <summary>Workers that take jobs.</summary>
    public int Target { get; private set; } = options.Scale is null ? options.Workers : 0;

    /// <summary>The pool has a scale function (its size follows the load).</summary>
    public bool Scaled => options.Scale is not null;

    /// <summary>
    /// Asks the scale function when its last answer is stale (or <paramref name="force"/>) and keeps the answer;
    /// true when it answered <see cref="Scale.Shutdown"/> (the pool then drains, whatever the size).
    /// </summary>
    public bool Ask(bool force)
    {
        if (options.Scale is not { } scale || !(force || !_asked || options.TimeProvider.GetElapsedTime(_askedAt) >= options.ScaleCachePeriod))
        {
            return false;
        }

        _asked = true;
        _askedAt = options.TimeProvider.GetTimestamp();
        try
        {
            var answer = scale(load());
            if (answer.IsShutdown)
            {
                return true;
            }

            Target = answer.Workers;
            _keepWarm = answer.Kind switch
            {
                ScaleKind.Mixed => answer.MaxInactive ?? 0,
                ScaleKind.NoTerm => int.MaxValue,
                _ => 0,
            };
            if (Target > options.MaxWorkers)
            {
                log.Write(LogLevel.WarningLevel, PoolLog.ScaleClamped, null, options.Name, Target, options.MaxWorkers);
                Target = options.MaxWorkers;
            }
        }
        catch (Exception ex)
        {
            log.Write(LogLevel.ErrorLevel, PoolLog.ScaleThrew, ex, options.Name, Target);
        }

        return false;
    }

    /// <summary>
    /// Brings the table to the target: <paramref name="spawn"/> at the lowest free indexes for missing workers, the
    /// workers above the target marked inactive (kept warm) or retired. Walks the table only when some worker is (or
    /// must become) inactive or retire: it runs on every dispatch of a scaled pool.
    /// </summary>
    public void Apply(WorkerTable workers, Action<int> spawn)
    {
        var alive = workers.Live;
        foreach (var index in workers.FreeIndexes(Target - alive).ToList())
        {
            spawn(index);
        }

        if (alive <= Target && _inactive == 0)
        {
            return;
        }

        var position = 0;
        _inactive = 0;
        foreach (var worker in workers.LiveByIndex())
        {
            worker.Inactive = position >= Target;
            if (position++ >= Target + (long)_keepWarm)
            {
                // One still starting and holding no job stops at once rather than after an Init that may never succeed.
                workers.Retire(worker, now: !worker.Ready && worker.InFlight.Count == 0);
            }
            else
            {
                _inactive += worker.Inactive ? 1 : 0;
            }
        }
    }
}
