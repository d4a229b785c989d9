using System.Diagnostics;
using System.Threading.Tasks.Dataflow;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// TPL Dataflow as a peer: a fresh unbounded <see cref="ActionBlock{TInput}"/> with a bounded degree of parallelism,
/// fed by <c>Post</c> from one producer: for many tiny jobs through a few workers the fastest thing .NET ships.
/// </summary>
internal static class DataflowPeer
{
    /// <summary>Posts jobs 0..<paramref name="jobs"/> to <paramref name="workers"/> parallel runs of <paramref name="work"/> and waits until all ran.</summary>
    public static TimeSpan Run(int jobs, int workers, Action<int> work)
    {
        var block = new ActionBlock<int>(work, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = workers });
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs; i++)
        {
            if (!block.Post(i))
            {
                throw new InvalidOperationException($"The ActionBlock refused job {i}.");
            }
        }

        block.Complete();
        if (!block.Completion.Wait(TimeSpan.FromMinutes(2)))
        {
            throw new TimeoutException("The ActionBlock did not finish.");
        }

        return Stopwatch.GetElapsedTime(start);
    }
}
