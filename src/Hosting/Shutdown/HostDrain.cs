using Actorpool.Actors.Pools;
using Actorpool.Hosting.Logging;
using Actorpool.Hosting.Pools;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting.Shutdown;

/// <summary>
/// The one drain of the hosted pools. Two paths may ask for it: the hosted service's StopAsync and the task it added to
/// the actor system's CoordinatedShutdown (which Akka.Hosting, or whoever owns the system, runs). Whichever comes
/// first starts the drain; the other awaits the same drain, so the pools are never drained twice and a system shut
/// down before the hosted service stops still finishes its jobs first.
/// </summary>
internal sealed class HostDrain(
    ActorpoolRegistration registration,
    IOptions<ActorpoolOptions> options,
    IOptions<HostOptions> hostOptions,
    ILogger<HostDrain> logger)
{
    private readonly Lock _gate = new();

    // Set once, under _gate, by the first caller of DrainOnceAsync; read by later callers.
    private Task? _drain;

    /// <summary>The drain; started by the first call (with its <paramref name="trigger"/> and <paramref name="cap"/>), joined by the others.</summary>
    /// <param name="trigger">Who asked first, for the log.</param>
    /// <param name="cap">A limit on the deadline (a CoordinatedShutdown phase timeout); <c>null</c> = none.</param>
    public Task DrainOnceAsync(DrainTrigger trigger, TimeSpan? cap)
    {
        lock (_gate)
        {
            // Task.Run: the drain's first steps (messages to the pools, a log line) do not run under the lock.
            return _drain ??= Task.Run(() => DrainAllAsync(trigger, cap));
        }
    }

    /// <summary>The drain's deadline under an optional <paramref name="cap"/>, which it may shorten but never lengthen.</summary>
    internal static TimeSpan? Capped(TimeSpan? deadline, TimeSpan? cap) =>
        cap is { } limit && (deadline is null || deadline > limit) ? limit : deadline;

    /// <summary>
    /// The drain's deadline: <see cref="ActorpoolOptions.DrainTimeout"/>, else the host's shutdown timeout less the share
    /// kept for terminating the system. An infinite (or timer-exceeding) shutdown timeout drains without a deadline; a
    /// zero one still asks for a drain (with the shortest deadline), whose jobs the host's cancelled token then cuts off.
    /// </summary>
    internal static TimeSpan? DrainDeadline(TimeSpan? drainTimeout, TimeSpan shutdownTimeout)
    {
        if (drainTimeout is { } set)
        {
            return set;
        }

        if (shutdownTimeout == Timeout.InfiniteTimeSpan || shutdownTimeout > TimeLimits.MaxDelay)
        {
            return null;
        }

        var share = shutdownTimeout * (1 - ActorpoolDefaults.TerminationShare);
        return share >= TimeSpan.FromMilliseconds(1) ? share : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>Drains one pool and logs how it ended; never throws. <c>null</c> when the drain failed.</summary>
    public async Task<PoolStopReport?> DrainPoolAsync(IHostedPool pool, TimeSpan? deadline)
    {
        try
        {
            var report = await pool.DrainAsync(deadline).ConfigureAwait(false);
            if (report.DeadlineReached || report.Cancelled > 0)
            {
                DrainLog.PoolCutOff(logger, pool.Name, deadline, report.Cancelled, report.Completed);
            }
            else
            {
                DrainLog.PoolDrained(logger, pool.Name, report.Completed);
            }

            return report;
        }
        catch (Exception e)
        {
            DrainLog.PoolFailed(logger, e, pool.Name);
            return null;
        }
    }

    private async Task DrainAllAsync(DrainTrigger trigger, TimeSpan? cap)
    {
        var wanted = DrainDeadline(options.Value.DrainTimeout, hostOptions.Value.ShutdownTimeout);
        var deadline = Capped(wanted, cap);
        if (deadline != wanted)
        {
            DrainLog.DeadlineShortened(logger, wanted, ActorpoolDefaults.DrainPhase, cap!.Value, deadline!.Value);
        }

        var pools = registration.Pools.Where(p => p.IsStarted).ToList();
        DrainLog.Begun(logger, pools.Count, trigger.ToString(), deadline);
        var reports = await Task.WhenAll(pools.Select(p => DrainPoolAsync(p, deadline))).ConfigureAwait(false);
        DrainLog.Finished(
            logger,
            pools.Count,
            reports.Sum(r => r?.Completed ?? 0),
            reports.Sum(r => r?.Cancelled ?? 0),
            reports.Count(r => r is null || r.DeadlineReached || r.Cancelled > 0));
    }
}

/// <summary>Who started the drain.</summary>
internal enum DrainTrigger
{
    /// <summary>The hosted service's StopAsync (the host is stopping).</summary>
    HostStop,

    /// <summary>The actor system's CoordinatedShutdown (Akka.Hosting's hosted service, a cluster leaving, user code).</summary>
    CoordinatedShutdown,
}
