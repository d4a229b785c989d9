using System.Diagnostics;
using System.Globalization;
using Actorpool.Actors.Messaging;
using Akka.Actor;

namespace Actorpool.Examples.UpDown;

/// <summary>
/// The UpDown example: a game loop ticking at a fixed rate broadcasts a tick to four actor workers, which stream
/// far more results up than the loop drains; <c>RecvBurst</c> keeps every tick's work bounded, the full up-queue
/// holds the workers back (without holding threads), and <c>StopAndJoin</c> collects the rest at the end.
/// <see cref="Run"/> is what Program.cs and the example test call.
/// </summary>
public static class UpDownExample
{
    private const int Workers = 4;
    private const int Ticks = 40;
    private const int ResultsPerTick = 2_000;
    private const int Capacity = 256;
    private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>Runs the example to completion, writing what it does to <paramref name="output"/>; returns the exit code.</summary>
    public static int Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var system = ActorSystem.Create("updown-example");
        var pool = system.SpawnUpDownPool<int, Particle>(new UpDownOptions { Name = "physics", Capacity = Capacity });
        for (var i = 0; i < Workers; i++)
        {
            // Each worker simulates its share of particles for a tick and streams every result up; awaiting the
            // send is what holds it back while the manager is behind.
            pool.AddWorker(async (int tick, UpLink<Particle> up) =>
            {
                for (var p = 0; p < ResultsPerTick; p++)
                {
                    await up.SendUpAsync(new Particle(tick, p, up.Index));
                }
            });
        }

        long drained = 0;
        var longestBurst = 0;
        var slowestTick = TimeSpan.Zero;
        var burst = new List<UpMessage<Particle>>(Capacity + Workers);
        using var timer = new PeriodicTimer(TickPeriod);
        for (var tick = 0; tick < Ticks; tick++)
        {
            var started = Stopwatch.GetTimestamp();
            pool.Broadcast(tick);

            var queued = pool.UpCount;

            // One burst per tick: only what was sent before this moment, so producers can never keep us here.
            burst.Clear();
            pool.RecvBurst(burst);
            drained += burst.Count;
            longestBurst = Math.Max(longestBurst, burst.Count);
            var took = Stopwatch.GetElapsedTime(started);
            slowestTick = took > slowestTick ? took : slowestTick;
            if (tick % 10 == 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tick {tick,2}: drained {burst.Count,4} results in {took.TotalMilliseconds:F3} ms ({queued} were queued at the tick's start)"));
            }

            timer.WaitForNextTickAsync().AsTask().GetAwaiter().GetResult();
        }

        var report = pool.StopAndJoin();
        var expected = (long)Workers * Ticks * ResultsPerTick;
        var total = drained + report.Messages.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Ticks} ticks: drained {drained} results during the game (longest burst {longestBurst}, slowest tick {slowestTick.TotalMilliseconds:F3} ms)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"StopAndJoin collected the other {report.Messages.Count}; total {total} of {expected}, failures: {report.Failures.Count}"));
        pool.Dispose();

        var ok = total == expected && report.Failures.Count == 0 && longestBurst <= Capacity + Workers;
        output.WriteLine(ok ? "ok" : "FAILED");
        return ok ? 0 : 1;
    }

    private readonly record struct Particle(int Tick, int Id, int Worker);
}
