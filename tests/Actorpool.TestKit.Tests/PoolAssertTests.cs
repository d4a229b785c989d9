using Actorpool.Actors.Pools;

namespace Actorpool.Testing.Tests;

/// <summary>The assertions pass on a pool that kept its promise and fail, with the numbers, on one that did not.</summary>
public sealed class PoolAssertTests
{
    [Fact]
    public void CountersBalance_WhenEveryJobHasAnOutcome_Passes()
    {
        PoolAssert.CountersBalance(new PoolStats { Submitted = 10, Completed = 4, Failed = 3, Rejected = 2, Cancelled = 1 }, "ok");
    }

    [Fact]
    public void CountersBalance_WhenAJobHasNoOutcome_FailsShowingTheNumbers()
    {
        var stats = new PoolStats { Submitted = 10, Completed = 4, Failed = 3, Rejected = 1, Cancelled = 0, Backlog = 2, Busy = 1, Workers = 2 };

        var e = Assert.Throws<PoolAssertionException>(() => PoolAssert.CountersBalance(stats, "orders"));

        Assert.Equal(
            "Pool 'orders': submitted (10) != completed (4) + failed (3) + rejected (1) + cancelled (0) = 8: 2 job(s) without an outcome. "
            + "Stats: submitted 10, completed 4, failed 3, rejected 1, cancelled 0; backlog 2, busy 1, idle 0, workers 2, restarts 0.",
            e.Message);
    }

    [Fact]
    public void CountersBalance_WhenAJobHasTwoOutcomes_FailsSayingSo()
    {
        var stats = new PoolStats { Submitted = 3, Completed = 3, Cancelled = 1, Killed = true };

        var e = Assert.Throws<PoolAssertionException>(() => PoolAssert.CountersBalance(stats));

        Assert.StartsWith("submitted (3) != completed (3) + failed (0) + rejected (0) + cancelled (1) = 4: 1 outcome(s) more than jobs.", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("restarts 0, killed.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryJobHasOutcome_WhenEveryTaskEnded_Passes()
    {
        PoolAssert.EveryJobHasOutcome([Task.CompletedTask, Task.FromException(new InvalidOperationException()), Task.FromCanceled(new CancellationToken(true))]);
    }

    [Fact]
    public void EveryJobHasOutcome_WhenATaskIsStillPending_FailsNamingIt()
    {
        var pending = new TaskCompletionSource();
        Task[] jobs = [Task.CompletedTask, pending.Task, Task.FromException(new InvalidOperationException()), new TaskCompletionSource<int>().Task];

        var e = Assert.Throws<PoolAssertionException>(() => PoolAssert.EveryJobHasOutcome(jobs, "orders"));

        Assert.Equal(
            "Pool 'orders': 2 of 4 job(s) have no outcome (still queued or running): job(s) #2, #4 (numbered from 1 in submission order); 1 completed, 1 faulted, 0 cancelled.",
            e.Message);
        pending.SetResult();
    }
}
