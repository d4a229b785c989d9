using System.Globalization;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Examples.Tour;

/// <summary>
/// Stage 2: a pool with a scale function instead of a fixed size. It starts at one worker, grows towards four
/// while jobs wait, and shrinks back to one once the load is gone; the pool asks the function on dispatch and
/// every 100 ms.
/// </summary>
internal static class ScalingStage
{
    private const string Stage = "2 scaling";
    private const int MaxWorkers = 4;

    public static async Task<ScalingResult> RunAsync(ActorSystem system, TourView view)
    {
        view.Status(Stage, "running", "starting");
        view.Log($"{Stage}: a pool sized by its load, 1 to {MaxWorkers} workers");
        var pool = system.SpawnPool(new PoolOptions<int>
        {
            Name = "elastic",
            Init = index => index,
            // One worker per busy worker or waiting job, between 1 and MaxWorkers.
            Scale = load => Actorpool.Dynamic.Scale.Active(Math.Clamp(load.Busy + load.Backlog, 1, MaxWorkers)),
            ScaleInterval = TimeSpan.FromMilliseconds(100),
            ScaleCachePeriod = TimeSpan.Zero,
        });

        var peak = 0;
        var history = new List<int>();
        async Task<int> SampleAsync(string phase)
        {
            var stats = await pool.GetStatsAsync().ConfigureAwait(false);
            peak = Math.Max(peak, stats.Workers);
            if (history.Count == 0 || history[^1] != stats.Workers)
            {
                history.Add(stats.Workers);
            }

            view.Status(Stage, "running", string.Create(CultureInfo.InvariantCulture,
                $"{phase}: workers {stats.Workers} {new string('#', stats.Workers)} (busy {stats.Busy}, backlog {stats.Backlog}) | peak {peak}"));
            return stats.Workers;
        }

        await SampleAsync("idle").ConfigureAwait(false);

        // Load: 600 jobs of ~10 ms each, far more than one worker keeps up with.
        var jobs = Enumerable.Range(0, 600).Select(_ => pool.RunAsync(_ => Thread.Sleep(10))).ToArray();
        var all = Task.WhenAll(jobs);
        while (!all.IsCompleted)
        {
            await SampleAsync("loaded").ConfigureAwait(false);
            await Task.WhenAny(all, Task.Delay(100)).ConfigureAwait(false);
        }

        await all.ConfigureAwait(false);
        view.Log(string.Create(CultureInfo.InvariantCulture, $"{Stage}: {jobs.Length} jobs done with up to {peak} workers; now idle"));

        // No load: the pool shrinks back at its next scale checks.
        var final = MaxWorkers;
        for (var i = 0; i < 30; i++)
        {
            final = await SampleAsync("idle again").ConfigureAwait(false);
            if (final == 1)
            {
                break;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        await pool.DrainAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var result = new ScalingResult(jobs.Length, peak, final, [.. history]);
        view.Status(Stage, "done", result.Describe());
        view.Log($"{Stage}: {result.Describe()}");
        return result;
    }
}

/// <summary>The scaling stage's outcome: the most workers seen under load, and how many were left once idle.</summary>
public sealed record ScalingResult(int Jobs, int PeakWorkers, int FinalWorkers, int[] WorkerCounts)
{
    /// <summary>The worker counts as the pool went through them, e.g. "1 → 4 → 1".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"workers {string.Join(" -> ", WorkerCounts)} (peak {PeakWorkers}, {FinalWorkers} once idle)");
}
