using System.Diagnostics;
using System.Globalization;

namespace Actorpool.Examples.Tour;

/// <summary>
/// Stage 4: a join-heavy computation, parallel Fibonacci, run on the work-stealing pool
/// (<c>WorkStealingPool.Default.Join</c>) and with TPL (<c>Task.Run</c> for one half, the other inline), both
/// with the same sequential cutoff; the best of five runs each, timed on this machine.
/// </summary>
internal static class JoinStage
{
    private const string Stage = "4 join vs TPL";
    private const int N = 36;
    private const int Cutoff = 12;
    private const int Runs = 5;

    public static Task<JoinResult> RunAsync(TourView view)
    {
        view.Status(Stage, "running", "warming up");
        view.Log(string.Create(CultureInfo.InvariantCulture, $"{Stage}: fib({N}) split down to fib({Cutoff}), WorkStealingPool.Join against Task.Run"));
        _ = JoinFib(20);
        _ = TaskFib(20);

        var (joinValue, joinTime) = Best(() => JoinFib(N), "Join", view);
        var (taskValue, taskTime) = Best(() => TaskFib(N), "Task.Run", view);
        var result = new JoinResult(N, Cutoff, joinValue, taskValue, joinTime.TotalMilliseconds, taskTime.TotalMilliseconds);
        view.Status(Stage, "done", result.Describe());
        view.Log($"{Stage}: {result.Describe()}");
        return Task.FromResult(result);
    }

    private static (long Value, TimeSpan Best) Best(Func<long> fib, string name, TourView view)
    {
        var best = TimeSpan.MaxValue;
        long value = 0;
        for (var run = 1; run <= Runs; run++)
        {
            var started = Stopwatch.GetTimestamp();
            value = fib();
            var took = Stopwatch.GetElapsedTime(started);
            best = took < best ? took : best;
            view.Status(Stage, "running", string.Create(CultureInfo.InvariantCulture, $"{name}: run {run}/{Runs} took {took.TotalMilliseconds:F1} ms"));
        }

        return (value, best);
    }

    private static long JoinFib(int n)
    {
        if (n <= Cutoff)
        {
            return SequentialFib(n);
        }

        var (a, b) = WorkStealingPool.Default.Join(() => JoinFib(n - 1), () => JoinFib(n - 2));
        return a + b;
    }

    private static long TaskFib(int n)
    {
        if (n <= Cutoff)
        {
            return SequentialFib(n);
        }

        var left = Task.Run(() => TaskFib(n - 1));
        var right = TaskFib(n - 2);
        return left.GetAwaiter().GetResult() + right;
    }

    private static long SequentialFib(int n) => n < 2 ? n : SequentialFib(n - 1) + SequentialFib(n - 2);
}

/// <summary>The join stage's outcome: both results (they must agree) and the best time of each.</summary>
public sealed record JoinResult(int N, int Cutoff, long JoinValue, long TaskValue, double JoinMilliseconds, double TaskMilliseconds)
{
    /// <summary>How many times longer TPL took than Join (above 1: Join was faster).</summary>
    public double Ratio => JoinMilliseconds > 0 ? TaskMilliseconds / JoinMilliseconds : 0;

    /// <summary>One line with both timings and the ratio.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"fib({N}) = {JoinValue}: Join {JoinMilliseconds:F1} ms, Task.Run {TaskMilliseconds:F1} ms, Task.Run/Join = {Ratio:F2}x");
}
