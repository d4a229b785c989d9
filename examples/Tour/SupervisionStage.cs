using System.Globalization;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Akka.Actor;

namespace Actorpool.Examples.Tour;

/// <summary>
/// Stage 1: an actor pool (a supervisor actor and its worker actors) runs jobs while every tenth job throws. The
/// panic policy respawns the failed worker with fresh state; a burst into a small backlog is rejected and a few
/// jobs are cancelled by their caller. Every job gets exactly one outcome, so the pool's counters add up.
/// </summary>
internal static class SupervisionStage
{
    private const string Stage = "1 supervision";
    private const int Jobs = 400;

    public static async Task<SupervisionResult> RunAsync(ActorSystem system, TourView view)
    {
        view.Status(Stage, "running", "starting 4 workers");
        view.Log($"{Stage}: an actor pool of 4 workers runs {Jobs} jobs; every 10th throws, the worker is respawned");
        var pool = system.SpawnPool(new PoolOptions<Worker>
        {
            Name = "jobs",
            Workers = 4,
            Init = index => new Worker(index),
            Panic = PanicPolicy.Respawn(new RestartBudget(Jobs, TimeSpan.FromMinutes(1))),
            Backlog = 64,
        });

        var outcomes = new List<Task>(Jobs + 200);
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(pool, view, sampling.Token);

        // Steady jobs: each takes a couple of milliseconds; every tenth one throws.
        for (var i = 1; i <= Jobs; i++)
        {
            var job = i;
            outcomes.Add(pool.RunAsync(worker => worker.Process(job)));
            if (i % 50 == 0)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }

        // A burst of TryRun into the small backlog: what does not fit is rejected at once instead of waiting.
        var rejectedNow = 0;
        for (var i = 0; i < 150; i++)
        {
            if (pool.TryRun(worker => worker.Process(1), out var accepted))
            {
                outcomes.Add(accepted);
            }
            else
            {
                rejectedNow++;
            }
        }

        view.Log($"{Stage}: a burst of 150 TryRun into a backlog of 64: {rejectedNow} refused at once");

        // Callers that give up: their token fires while the job waits or runs, and the job is cancelled.
        using (var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            for (var i = 0; i < 20; i++)
            {
                outcomes.Add(pool.RunAsync(
                    async (worker, token) => await Task.Delay(TimeSpan.FromSeconds(2), token).ConfigureAwait(false),
                    impatient.Token));
            }

            await Task.WhenAll(outcomes.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }

        await pool.DrainAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        var stats = await pool.GetStatsAsync().ConfigureAwait(false);
        var result = new SupervisionResult(stats.Submitted, stats.Completed, stats.Failed, stats.Rejected, stats.Cancelled, stats.Restarts);
        view.Status(Stage, "done", Describe(stats));
        view.Log($"{Stage}: {result.Identity()}");
        return result;
    }

    private static async Task SampleAsync(PoolRef<Worker> pool, TourView view, CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                var stats = await pool.GetStatsAsync().ConfigureAwait(false);
                view.Status(Stage, "running", Describe(stats));
                await Task.Delay(100, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static string Describe(PoolStats s) => string.Create(CultureInfo.InvariantCulture,
        $"workers {s.Workers} (busy {s.Busy}, idle {s.Idle}), backlog {s.Backlog} | submitted {s.Submitted}, completed {s.Completed}, failed {s.Failed}, rejected {s.Rejected}, cancelled {s.Cancelled} | restarts {s.Restarts}");

    /// <summary>A worker's state: its index and how many jobs this incarnation ran (a respawn starts again at 0).</summary>
    private sealed class Worker(int index)
    {
        private int _ran;

        public int Process(int job)
        {
            Thread.SpinWait(20_000); // stands in for real work
            if (job % 10 == 0)
            {
                throw new InvalidOperationException($"job {job} failed on worker {index} after {_ran} jobs");
            }

            return ++_ran;
        }
    }
}

/// <summary>The supervision stage's counters, from the pool's own stats.</summary>
public sealed record SupervisionResult(long Submitted, long Completed, long Failed, long Rejected, long Cancelled, long Restarts)
{
    /// <summary><c>true</c> when every submitted job has exactly one outcome.</summary>
    public bool IdentityHolds => Submitted == Completed + Failed + Rejected + Cancelled;

    /// <summary>The identity as a line, with its verdict.</summary>
    public string Identity() => string.Create(CultureInfo.InvariantCulture,
        $"submitted {Submitted} = completed {Completed} + failed {Failed} + rejected {Rejected} + cancelled {Cancelled} ({(IdentityHolds ? "holds" : "DOES NOT HOLD")}); restarts {Restarts}");
}
