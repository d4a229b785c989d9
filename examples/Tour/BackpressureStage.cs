using System.Diagnostics;
using System.Globalization;
using Actorpool.Actors.Messaging;
using Akka.Actor;

namespace Actorpool.Examples.Tour;

/// <summary>
/// Stage 3: a manager loop ticks every 50 ms, sends each tick down to four actor workers, and drains their results
/// with <c>RecvBurst</c>. The workers produce far more than fits in the bounded up-queue, so their sends wait
/// (backpressure, without holding a thread); a burst never takes more than was queued when it began, and
/// <c>StopAndJoin</c> collects the rest.
/// </summary>
internal static class BackpressureStage
{
    private const string Stage = "3 backpressure";
    private const int Workers = 4;
    private const int Ticks = 60;
    private const int ResultsPerTick = 1_000;
    private const int Capacity = 256;

    public static async Task<BackpressureResult> RunAsync(ActorSystem system, TourView view)
    {
        view.Status(Stage, "running", "starting");
        view.Log($"{Stage}: {Workers} workers send {ResultsPerTick} results per tick up a queue of {Capacity}; the loop drains one RecvBurst per tick");
        var pool = system.SpawnUpDownPool<int, int>(new UpDownOptions { Name = "ticks", Capacity = Capacity });
        for (var i = 0; i < Workers; i++)
        {
            pool.AddWorker(async (int tick, UpLink<int> up) =>
            {
                for (var p = 0; p < ResultsPerTick; p++)
                {
                    await up.SendUpAsync(tick).ConfigureAwait(false); // waits while the queue is full
                }
            });
        }

        long drained = 0;
        var longest = 0;
        var burst = new List<UpMessage<int>>(Capacity + Workers);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        for (var tick = 0; tick < Ticks; tick++)
        {
            var started = Stopwatch.GetTimestamp();
            pool.Broadcast(tick);
            burst.Clear();
            pool.RecvBurst(burst);
            drained += burst.Count;
            longest = Math.Max(longest, burst.Count);
            var took = Stopwatch.GetElapsedTime(started);
            view.Status(Stage, "running", string.Create(CultureInfo.InvariantCulture,
                $"tick {tick + 1}/{Ticks}: burst {burst.Count,3} in {took.TotalMilliseconds:F2} ms, queued {pool.UpCount,3}/{Capacity} {Bar(pool.UpCount)} | drained {drained}"));
            await timer.WaitForNextTickAsync().ConfigureAwait(false);
        }

        var report = pool.StopAndJoin();
        pool.Dispose();
        var result = new BackpressureResult(Ticks, Capacity, longest, drained, report.Messages.Count, (long)Workers * Ticks * ResultsPerTick, report.Failures.Count);
        view.Status(Stage, "done", result.Describe());
        view.Log($"{Stage}: {result.Describe()}");
        return result;
    }

    private static string Bar(int queued) => new('#', queued * 20 / Capacity);
}

/// <summary>The backpressure stage's outcome: what the loop drained, what <c>StopAndJoin</c> collected, and the longest burst.</summary>
public sealed record BackpressureResult(int Ticks, int Capacity, int LongestBurst, long Drained, long Collected, long Expected, int Failures)
{
    /// <summary><c>true</c> when every result sent up arrived exactly once and no worker failed.</summary>
    public bool AllArrived => Drained + Collected == Expected && Failures == 0;

    /// <summary>One line with the totals.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Ticks} ticks, longest burst {LongestBurst} (queue {Capacity}); drained {Drained} + collected at stop {Collected} = {Drained + Collected} of {Expected}");
}
