using Actorpool.Hosting.Pools;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actorpool.Examples.HostedPool;

/// <summary>Feeds the pool until the host stops; each job's outcome goes to the <see cref="JobLedger"/>.</summary>
public sealed class JobFeeder(IPool<Thumbnailer> pool, JobLedger ledger, IOptions<FeederOptions> options, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var inFlight = new SemaphoreSlim(settings.MaxInFlight);
        try
        {
            for (var id = 1; settings.MaxJobs is not { } max || id <= max; id++)
            {
                await inFlight.WaitAsync(stoppingToken);
                var jobId = id;
                var fail = settings.FailEvery > 0 && jobId % settings.FailEvery == 0;

                // No stoppingToken here: a job accepted before the stop is drained, not cancelled.
                var job = pool.RunAsync(worker => fail ? throw new InvalidOperationException($"job {jobId} is corrupt") : worker.Render(jobId), CancellationToken.None);
                ledger.Track(jobId, job, () => inFlight.Release());
                await Task.Delay(settings.Interval, stoppingToken);
            }

            lifetime.StopApplication();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: submit nothing more.
        }
    }
}
