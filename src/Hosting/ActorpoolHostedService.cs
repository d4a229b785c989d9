using Akka.Actor;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actorpool.Hosting;

/// <summary>
/// Starts the actor system with the host and stops it with the host; links the two lifetimes so that an actor
/// system that terminates on its own asks the host to stop.
/// </summary>
internal sealed partial class ActorpoolHostedService(
    ActorSystemHost systemHost,
    IHostApplicationLifetime lifetime,
    ILogger<ActorpoolHostedService> logger) : IHostedService
{
    // 0 until StopAsync begins; set by the host's stop path, read by the termination callback on any thread.
    private int _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
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
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopping, 1);
        if (!await systemHost.TerminateAsync(cancellationToken).ConfigureAwait(false))
        {
            LogTerminationTimedOut(systemHost.System.Name);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor system {SystemName} terminated on its own; asking the host to stop")]
    private partial void LogTerminatedOnItsOwn(string systemName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Actor system {SystemName} did not terminate within the host's shutdown timeout")]
    private partial void LogTerminationTimedOut(string systemName);
}
