using Actorpool.Hosting.Logging;
using Actorpool.Hosting.Pools;
using Actorpool.Hosting.Shutdown;
using Akka;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actorpool.Hosting;

/// <summary>
/// Starts the actor system and every registered pool with the host, drains the pools and stops the system with the
/// host, and links the lifetimes: an actor system that terminates on its own asks the host to stop. The drain also
/// runs as a task of the system's CoordinatedShutdown, so a system shut down first (by Akka.Hosting's own hosted
/// service, whatever the registration order) still finishes its jobs; <see cref="HostDrain"/> makes it run once.
/// </summary>
internal sealed class ActorpoolHostedService(
    ActorSystemHost systemHost,
    ActorpoolRegistration registration,
    HostDrain drain,
    IServiceProvider services,
    IOptions<ActorpoolOptions> options,
    IOptions<HostOptions> hostOptions,
    IHostApplicationLifetime lifetime,
    ILogger<ActorpoolHostedService> logger) : IHostedService
{
    private const int Running = 0;
    private const int StoppedByHost = 1;
    private const int StoppedByCoordinatedShutdown = 2;

    // Running until the host stops us (or a failed start cleans up), or the system's CoordinatedShutdown runs the
    // drain; written on those paths, read by the termination callback.
    private int _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var system = systemHost.Start();
        LifetimeLog.Started(logger, system.Name, systemHost.Owned);
        JoinCoordinatedShutdown(system);
        WhenDone(system.WhenTerminated, () => OnSystemTerminated(system));

        var actorRegistry = ActorRegistry.For(system);
        foreach (var pool in registration.Pools)
        {
            try
            {
                var stats = await pool.StartAsync(system, services, options.Value.Pools.GetValueOrDefault(pool.Name), cancellationToken).ConfigureAwait(false);
                LifetimeLog.PoolStarted(logger, pool.Name, stats.Workers);
                WhenDone(pool.Completion, () => OnPoolTerminated(pool));
                foreach (var key in pool.Ref is null ? [] : pool.RegistryKeys)
                {
                    // A later host on the same (application-owned) system replaces the entry of its stopped predecessor.
                    actorRegistry.TryRegister(key, pool.Ref!, overwrite: true);
                    LifetimeLog.PoolRegistered(logger, pool.Name, key.Name);
                }
            }
            catch (Exception e)
            {
                LifetimeLog.PoolFailedToStart(logger, e, pool.Name);
                await AbandonStartAsync(e).ConfigureAwait(false);
                throw new InvalidOperationException($"Actorpool could not start pool '{pool.Name}': {e.Message}", e);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.CompareExchange(ref _stopping, StoppedByHost, Running);
        try
        {
            await drain.DrainOnceAsync(DrainTrigger.HostStop, cap: null).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            DrainLog.Abandoned(logger);
        }

        if (!await systemHost.TerminateAsync(cancellationToken).ConfigureAwait(false))
        {
            LifetimeLog.TerminationTimedOut(logger, systemHost.System.Name);
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
    /// Adds the drain to the system's CoordinatedShutdown, in <see cref="ActorpoolDefaults.DrainPhase"/>, capped by that
    /// phase's timeout (past it Akka would move on and stop the pools under their jobs). On an owned system the host
    /// drains before it runs CoordinatedShutdown, so there the task finds the drain done; on an application-owned one
    /// (UseActorSystem, a registered ActorSystem, Akka.Hosting) it is what makes the order of registration irrelevant.
    /// </summary>
    private void JoinCoordinatedShutdown(ActorSystem system)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        var phase = ActorpoolDefaults.DrainPhase;

        // Keep a tenth of the phase (at most a second) for the drain's replies, so it ends before Akka gives up on it.
        var phaseTimeout = shutdown.Timeout(phase);
        var cap = phaseTimeout - TimeSpan.FromTicks(Math.Min(phaseTimeout.Ticks / 10, TimeSpan.TicksPerSecond));
        try
        {
            shutdown.AddTask(phase, "actorpool-drain", async () =>
            {
                Interlocked.CompareExchange(ref _stopping, StoppedByCoordinatedShutdown, Running);
                await drain.DrainOnceAsync(DrainTrigger.CoordinatedShutdown, cap).ConfigureAwait(false);
                return Done.Instance;
            });
        }
        catch (Exception e)
        {
            LifetimeLog.DrainTaskNotRegistered(logger, e, system.Name);
        }
    }

    // A failed start leaves nothing running: started pools are stopped, an owned system terminated, early callers faulted.
    private async Task AbandonStartAsync(Exception cause)
    {
        Interlocked.CompareExchange(ref _stopping, StoppedByHost, Running);
        foreach (var pool in registration.Pools)
        {
            pool.FailStart(cause);
        }

        var shutdown = hostOptions.Value.ShutdownTimeout;
        using var timeout = new CancellationTokenSource(shutdown >= TimeSpan.Zero && shutdown <= TimeLimits.MaxDelay ? shutdown : Timeout.InfiniteTimeSpan);
        try
        {
            await Task.WhenAll(registration.Pools.Where(p => p.IsStarted).Select(p => drain.DrainPoolAsync(p, TimeSpan.FromSeconds(1)))).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            DrainLog.Abandoned(logger);
        }

        await systemHost.TerminateAsync(timeout.Token).ConfigureAwait(false);
    }

    // Runs a short, non-throwing callback on the thread that completes the task.
    private static void WhenDone(Task task, Action callback) =>
        _ = task.ContinueWith(static (_, state) => ((Action)state!)(), callback, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private void OnPoolTerminated(IHostedPool pool)
    {
        // A drain, a host stop or the system's shutdown stops every pool: only a pool that ends before any of them is news.
        var system = systemHost.System;
        if (Volatile.Read(ref _stopping) == Running && !system.WhenTerminated.IsCompleted && CoordinatedShutdown.Get(system).ShutdownReason is null)
        {
            LifetimeLog.PoolTerminatedOnItsOwn(logger, pool.KillCause, pool.Name, pool.KillCause is not null);
        }
    }

    private void OnSystemTerminated(ActorSystem system)
    {
        switch (Volatile.Read(ref _stopping))
        {
            case StoppedByHost:
                return;
            case StoppedByCoordinatedShutdown:
                // Not "on its own": its owner shut it down (and the drain ran first). Follow it unless the host is stopping already.
                if (!lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    LifetimeLog.ShutDownByCoordinatedShutdown(logger, system.Name, CoordinatedShutdown.Get(system).ShutdownReason?.ToString() ?? "no reason given");
                    lifetime.StopApplication();
                }

                return;
            default:
                LifetimeLog.TerminatedOnItsOwn(logger, system.Name);
                lifetime.StopApplication();
                return;
        }
    }
}
