using Microsoft.Coyote.Specifications;

namespace Actorpool.Reliability.Tests.Scheduling;

/// <summary>
/// Systematic interleavings of the scale gate's cache: readers racing refreshes only ever see an answer the scale
/// function really gave (clamped at zero) or the initial thread count, and a throwing scale function is reported
/// without changing the cached answer.
/// </summary>
public sealed class ScaleGateCoyoteTests
{
    [Fact(Timeout = 60_000)]
    public async Task ReadersRacingRefreshes_SeeOnlyRealAnswers_AndThrowsKeepTheLastOne()
    {
        var report = await Task.Run(() => Coyote.Explore(ReadersAndRefreshes, 2_000));
        Coyote.AssertNoBug(report);
    }

    private static async Task ReadersAndRefreshes()
    {
        const int Threads = 8;
        var calls = 0;
        var errors = 0;
        int[] answers = [3, -2, 5, 1]; // the 5th call onward throws
        var gate = new ScaleGate(
            () =>
            {
                var call = Interlocked.Increment(ref calls);
                return call <= answers.Length ? answers[call - 1] : throw new InvalidOperationException("scale broke");
            },
            TimeProvider.System,
            TimeSpan.Zero, // every read refreshes: the most racy setting
            Threads,
            _ => Interlocked.Increment(ref errors));

        var allowed = new HashSet<int> { Threads, 3, 0, 5, 1 };
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                var seen = gate.Current;
                Specification.Assert(allowed.Contains(seen), $"The gate answered {seen}, which the scale function never gave.");
            }
        })).ToList();
        foreach (var reader in readers)
        {
            await reader;
        }

        var last = gate.Current; // after the answers ran out, only throws: the cached value stays a real answer
        Specification.Assert(allowed.Contains(last), $"After throws the gate answered {last}.");
        Specification.Assert(errors == Math.Max(0, Volatile.Read(ref calls) - answers.Length), $"{errors} errors reported for {calls} calls.");
    }
}
