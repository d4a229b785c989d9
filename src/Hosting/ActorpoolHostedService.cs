using Actorpool.Hosting.Pools;
using Akka.Actor;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting;

/// <summary>
/// Starts the actor system and every registered pool with the host, drains the pools and stops the system with the
/// host, and links the lifetimes: an actor system that terminates on its own asks the host to stop.
/// </summary>
internal sealed partial class ActorpoolHostedService(
    ActorSystemHost systemHost,
    ActorpoolRegistration registration,
    IServiceProvider services,
    IOptions<ActorpoolOptions> options,
    IOptions<HostOptions> hostOptions,
    IHostApplicationLifetime lifetime,
    ILogger<ActorpoolHostedService> logger) : IHostedService
{
    // 0 until the host stops us (or a failed start cleans up); set on that path, read by the termination callback.
    private int _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var system = systemHost.Start();
        LogStarted(system.Name, systemHost.Owned);
        _ = system.WhenTerminated.ContinueWith(
            (_, state) => ((ActorpoolHostedService)state!).OnSystemTerminated(system),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        foreach (var pool in registration.Pools)
        {
            try
            {
                await pool.StartAsync(system, services, options.Value.Pools.GetValueOrDefault(pool.Name), cancellationToken).ConfigureAwait(false);
                LogPoolStarted(pool.Name);
            }
            catch (Exception e)
            {
                LogPoolFailedToStart(e, pool.Name);
                await AbandonStartAsync(e).ConfigureAwait(false);
                throw new InvalidOperationException($"Actorpool could not start pool '{pool.Name}': {e.Message}", e);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopping, 1);
        var deadline = DrainDeadline(options.Value.DrainTimeout, hostOptions.Value.ShutdownTimeout);
        await Task.WhenAll(registration.Pools.Where(p => p.IsStarted).Select(p => DrainAsync(p, deadline, cancellationToken))).ConfigureAwait(false);
        if (!await systemHost.TerminateAsync(cancellationToken).ConfigureAwait(false))
        {
            LogTerminationTimedOut(systemHost.System.Name);
            return;
        }

        // The system is gone, so every pool has terminated; their Completion follows at once. Return after it, so
        // whoever stopped the host sees every pool completed.
        try
        {
            await Task.WhenAll(registration.Pools.Where(p => p.IsStarted).Select(p => p.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout expired: it is stopping anyway.
        }
    }

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

    private async Task DrainAsync(IHostedPool pool, TimeSpan? deadline, CancellationToken cancellationToken)
    {
        try
        {
            var report = await pool.DrainAsync(deadline).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (report.DeadlineReached || report.Cancelled > 0)
            {
                LogDrainCutOff(pool.Name, deadline, report.Cancelled, report.Completed);
            }
            else
            {
                LogDrained(pool.Name, report.Completed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogDrainAbandoned(pool.Name);
        }
        catch (Exception e)
        {
            LogDrainFailed(e, pool.Name);
        }
    }

    // A failed start leaves nothing running: started pools are stopped, an owned system terminated, early callers faulted.
    private async Task AbandonStartAsync(Exception cause)
    {
        Volatile.Write(ref _stopping, 1);
        foreach (var pool in registration.Pools)
        {
            pool.FailStart(cause);
        }

        var shutdown = hostOptions.Value.ShutdownTimeout;
        using var timeout = new CancellationTokenSource(shutdown >= TimeSpan.Zero && shutdown <= TimeLimits.MaxDelay ? shutdown : Timeout.InfiniteTimeSpan);
        await Task.WhenAll(registration.Pools.Where(p => p.IsStarted).Select(p => DrainAsync(p, TimeSpan.FromSeconds(1), timeout.Token))).ConfigureAwait(false);
        await systemHost.TerminateAsync(timeout.Token).ConfigureAwait(false);
    }

    private void OnSystemTerminated(ActorSystem system)
    {
        if (Volatile.Read(ref _stopping) == 0)
        {
            LogTerminatedOnItsOwn(system.Name);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Actorpool started on actor system {SystemName} (owned by the host: {Owned})")]
    private partial void LogStarted(string systemName, bool owned);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {PoolName} started")]
    private partial void LogPoolStarted(string poolName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pool {PoolName} failed to start; the host will not start")]
    private partial void LogPoolFailedToStart(Exception cause, string poolName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool {PoolName} drained; {Completed} jobs completed over its life")]
    private partial void LogDrained(string poolName, long completed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {PoolName} drain cut off by the shutdown deadline ({Deadline}); over its life {Completed} jobs completed and {Cancelled} were cancelled")]
    private partial void LogDrainCutOff(string poolName, TimeSpan? deadline, long cancelled, long completed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool {PoolName} had not finished draining when the host's shutdown timeout expired")]
    private partial void LogDrainAbandoned(string poolName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pool {PoolName} failed while draining")]
    private partial void LogDrainFailed(Exception cause, string poolName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor system {SystemName} terminated on its own; asking the host to stop")]
    private partial void LogTerminatedOnItsOwn(string systemName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor system {SystemName} did not terminate within the host's shutdown timeout")]
    private partial void LogTerminationTimedOut(string systemName);
}
