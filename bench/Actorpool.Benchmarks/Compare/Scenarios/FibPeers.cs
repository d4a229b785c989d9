using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>fib(n) with a fork at every level above a sequential cutoff, in each system's own idiom.</summary>
internal static class FibPeers
{
    internal static long Sequential(int n) => n < 2 ? n : Sequential(n - 1) + Sequential(n - 2);

    /// <summary>Forks made by fib(n) with the given cutoff: every call with n &gt;= cutoff forks once.</summary>
    internal static long Forks(int n, int cutoff) => n < cutoff ? 0 : 1 + Forks(n - 1, cutoff) + Forks(n - 2, cutoff);

    internal static long TaskRunWait(int n, int cutoff)
    {
        if (n < cutoff)
        {
            return Sequential(n);
        }

        var left = Task.Run(() => TaskRunWait(n - 1, cutoff));
        var right = TaskRunWait(n - 2, cutoff);
        left.Wait();
        return left.Result + right;
    }

    internal static long ParallelInvoke(int n, int cutoff)
    {
        if (n < cutoff)
        {
            return Sequential(n);
        }

        long a = 0, b = 0;
        Parallel.Invoke(() => a = ParallelInvoke(n - 1, cutoff), () => b = ParallelInvoke(n - 2, cutoff));
        return a + b;
    }

    internal static long Actorpool(WorkStealingPool pool, int n, int cutoff)
    {
        var job = new FibJob(pool, n, cutoff);
        job.Run();
        return job.Result;
    }

    /// <summary>Times one run and checks its answer; returns elapsed nanoseconds.</summary>
    internal static double TimeNs(int n, Func<long> run)
    {
        var expected = Expected(n);
        var sw = Stopwatch.StartNew();
        var result = run();
        sw.Stop();
        return result != expected
            ? throw new InvalidOperationException($"fib({n}) = {result}, expected {expected}")
            : sw.Elapsed.TotalNanoseconds;
    }

    internal static long Expected(int n)
    {
        long a = 0, b = 1;
        for (var i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return a;
    }

    /// <summary>The Actorpool idiom: a struct job, so no Join allocates.</summary>
    internal struct FibJob(WorkStealingPool pool, int n, int cutoff) : IJob
    {
        public long Result;

        public void Run()
        {
            if (n < cutoff)
            {
                Result = Sequential(n);
                return;
            }

            var a = new FibJob(pool, n - 1, cutoff);
            var b = new FibJob(pool, n - 2, cutoff);
            pool.Join(ref a, ref b);
            Result = a.Result + b.Result;
        }
    }
}
