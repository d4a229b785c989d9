#region quick-work-stealing
using Actorpool.Iterators;                                          // Par; Fork and Split are in namespace Actorpool
#endregion

namespace Actorpool.Examples.Snippets.QuickStart;

/// <summary>README quick start "The work-stealing core": a recursive Join, a parallel loop and a parallel query.</summary>
public static class WorkStealingQuickStart
{
    /// <summary>Runs the snippet on the default work-stealing pool; returns fib(30), the loop's last square and the query's sum.</summary>
    public static (long Fib, long LastSquare, long EvenSum) Run()
    {
        #region quick-work-stealing
        static long Fib(int n)
        {
            if (n < 20) return n < 2 ? n : Fib(n - 1) + Fib(n - 2);      // small: plain recursion
            var (a, b) = Fork.Join(() => Fib(n - 1), () => Fib(n - 2));    // the second half runs here unless a thread is idle
            return a + b;
        }

        var fib = Fib(30);                                               // 832040
        var squares = new long[1_000];
        Fork.For(0, squares.Length, i => squares[i] = (long)i * i);      // a parallel loop on the same threads
        var evenSum = Par.Over(squares).Where(s => s % 2 == 0).Sum();    // a parallel query: same answer on any machine
        #endregion
        return (fib, squares[^1], evenSum);
    }
}
