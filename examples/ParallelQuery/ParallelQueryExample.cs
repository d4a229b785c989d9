using System.Diagnostics;
using Actorpool.Iterators;

namespace Actorpool.Examples.ParallelQuery;

/// <summary>
/// The seed's example (the sum of 0..10 000 as longs, split by threads), then one pipeline over an array run three
/// ways on this machine: Par, PLINQ and sequential LINQ. The answers must agree; the timings are printed with
/// Par's ratio to the others. <see cref="Run"/> is what Program.cs and the example test call.
/// </summary>
public static class ParallelQueryExample
{
    /// <summary>Runs the example, writing to <paramref name="output"/>; returns 0 when all answers agree.</summary>
    public static int Run(TextWriter output, int length = 10_000_000, int rounds = 5)
    {
        var sum = Par.Range(0, 10_000).Select(x => (long)x).With(Split.ByThreads).Sum();
        output.WriteLine($"sum of 0..10000 split by threads = {sum}");

        var data = new long[length];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = i;
        }

        // The pipeline: triple every element, drop the multiples of 7, sum the rest.
        var par = Best(rounds, () => Par.Over(data).Select(x => x * 3).Where(x => x % 7 != 0).Sum());
        var plinq = Best(rounds, () => data.AsParallel().Select(x => x * 3).Where(x => x % 7 != 0).Sum());
        var linq = Best(rounds, () => data.Select(x => x * 3).Where(x => x % 7 != 0).Sum());
        output.WriteLine($"Select.Where.Sum over {length:N0} longs, best of {rounds}:");
        output.WriteLine($"  Par   {par.Ms,8:F2} ms  (answer {par.Answer})");
        output.WriteLine($"  PLINQ {plinq.Ms,8:F2} ms  (answer {plinq.Answer})");
        output.WriteLine($"  LINQ  {linq.Ms,8:F2} ms  (answer {linq.Answer})");
        output.WriteLine($"Par ran {plinq.Ms / par.Ms:F2}x PLINQ and {linq.Ms / par.Ms:F2}x LINQ on this machine");

        var agree = sum == 49_995_000 && par.Answer == plinq.Answer && par.Answer == linq.Answer;
        output.WriteLine(agree ? "answers agree" : "ANSWERS DIFFER");
        return agree ? 0 : 1;
    }

    private static (double Ms, long Answer) Best(int rounds, Func<long> query)
    {
        var best = double.MaxValue;
        var answer = 0L;
        for (var i = 0; i < rounds; i++)
        {
            var sw = Stopwatch.StartNew();
            answer = query();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }

        return (best, answer);
    }
}
