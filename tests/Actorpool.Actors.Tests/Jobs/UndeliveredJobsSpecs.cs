using Actorpool.Actors.Jobs;
using Actorpool.Actors.Metrics;
using Actorpool.Actors.Pools;
using Akka.TestKit.Xunit2;

namespace Actorpool.Actors.Tests.Jobs;

/// <summary>
/// A job that reaches a pool only after the pool terminated (the send raced the stop) still gets exactly one
/// outcome instead of vanishing in dead letters.
/// </summary>
public sealed class UndeliveredJobsSpecs() : TestKit("akka.loglevel = WARNING")
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    private PoolRef<int> StartPool(string name) => Sys.SpawnPool(new PoolOptions<int> { Name = name, Workers = 1, Init = i => i });

    [Fact(Timeout = 30_000)]
    public async Task AcceptedJob_ArrivingAfterThePoolTerminated_IsCancelledNamingThePool()
    {
        var pool = StartPool("late-envelope");
        await pool.StopAsync().WaitAsync(Watchdog);
        await pool.Completion.WaitAsync(Watchdog);

        // What PoolRef.Send does when its closing check passed just before the stop: the envelope (counted submitted by
        // its constructor) is on its way.
        var counters = new PoolCounters("late-envelope-probe");
        var job = new TaskJob<int, int>(1, state => state + 1, counters);
        pool.Ref.Tell(job, Akka.Actor.ActorRefs.NoSender);

        var failure = await Assert.ThrowsAsync<JobCancelledException>(() => job.Task.WaitAsync(Watchdog));
        Assert.Contains("late-envelope", failure.Message, StringComparison.Ordinal);
        var stats = counters.Snapshot();
        Assert.Equal(1, stats.Submitted);
        Assert.Equal(1, stats.Cancelled);
        Assert.Equal(stats.Submitted, stats.Completed + stats.Failed + stats.Rejected + stats.Cancelled);
    }

    [Fact(Timeout = 30_000)]
    public async Task SubmitMessage_ToATerminatedPool_IsAnsweredWithRejected()
    {
        var pool = StartPool("late-submit");
        await pool.StopAsync().WaitAsync(Watchdog);
        await pool.Completion.WaitAsync(Watchdog);
        var caller = CreateTestProbe();

        pool.Ref.Tell(Submit.Run<int>(7, state => state), caller.Ref);

        var rejected = await caller.ExpectMsgAsync<JobRejected>(Watchdog);
        Assert.Equal(7, rejected.JobId);
        Assert.Contains("late-submit", rejected.Reason, StringComparison.Ordinal);
    }
}
