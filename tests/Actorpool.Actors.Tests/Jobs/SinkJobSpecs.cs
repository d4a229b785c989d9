using System.Collections.Concurrent;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;

namespace Actorpool.Actors.Tests.Jobs;

/// <summary>
/// The internal job a cluster node's agent runs every job it is sent as: each way a job ends reaches its sink exactly
/// once with its tag, and a job cancelled through itself while it runs sees its own token fire.
/// </summary>
public sealed class SinkJobSpecs : PoolSpec
{
    [Fact(Timeout = 60_000)]
    public async Task EveryWayASinkJobEnds_ReachesItsSinkOnce_WithItsTag()
    {
        var pool = Sys.SpawnPool(new PoolOptions<int> { Name = "sink", Workers = 2, Init = i => i });
        var sink = new Sink();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawToken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var completes = pool.RunWithSink(static (_, x, _) => ValueTask.FromResult(x * 2), 21, sink, 1, null);
        pool.RunWithSink<int, int>(static (_, x, _) => throw new InvalidOperationException($"job {x} failed on purpose"), 2, sink, 2, null);
        var running = pool.RunWithSink(
            async (_, x, token) =>
            {
                started.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                    sawToken.TrySetResult();
                    throw;
                }

                return x;
            },
            3,
            sink,
            3,
            null);
        pool.RunWithSink(static async (_, x, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return x;
        }, 4, sink, 4, TimeSpan.FromMilliseconds(100));

        Assert.Equal(42, await sink.Outcome(1).WaitAsync(Watchdog));
        Assert.False(completes.TryCancel("too late", null, pool.Ref, evenIfRunning: true)); // settled once: no second outcome
        Assert.Contains("job 2 failed on purpose", Assert.IsType<InvalidOperationException>(await sink.Outcome(2).WaitAsync(Watchdog)).Message);

        await started.Task.WaitAsync(Watchdog);
        Assert.True(running.TryCancel("cancelled by its submitter", null, pool.Ref, evenIfRunning: true));
        Assert.Contains("cancelled by its submitter", Assert.IsType<JobCancelledException>(await sink.Outcome(3).WaitAsync(Watchdog)).Message);
        await sawToken.Task.WaitAsync(Watchdog); // the running code's own token fired

        Assert.Contains("timed out", Assert.IsType<JobCancelledException>(await sink.Outcome(4).WaitAsync(Watchdog)).Message);

        await pool.StopAsync().WaitAsync(Watchdog);
        pool.RunWithSink(static (_, x, _) => ValueTask.FromResult(x), 5, sink, 5, null);
        Assert.IsType<JobRejectedException>(await sink.Outcome(5).WaitAsync(Watchdog));

        Assert.Equal([1L, 2L, 3L, 4L, 5L], sink.Calls.Keys.Order());
        Assert.All(sink.Calls.Values, calls => Assert.Equal(1, calls));
    }

    /// <summary>Records each tag's outcome (a result or an exception) and how often its tag was reported.</summary>
    private sealed class Sink : IJobSink<int>
    {
        private readonly ConcurrentDictionary<long, TaskCompletionSource<object>> _outcomes = new();

        public ConcurrentDictionary<long, int> Calls { get; } = new();

        public Task<object> Outcome(long tag) => Slot(tag).Task;

        public void Completed(long tag, int result) => Settle(tag, result);

        public void Failed(long tag, Exception error) => Settle(tag, error);

        private void Settle(long tag, object outcome)
        {
            Calls.AddOrUpdate(tag, 1, static (_, n) => n + 1);
            Slot(tag).TrySetResult(outcome);
        }

        private TaskCompletionSource<object> Slot(long tag) =>
            _outcomes.GetOrAdd(tag, static _ => new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
