using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;

namespace Actorpool.Actors.Tests.Jobs;

/// <summary>A Submit instance is its first job's envelope; every later send of the same instance is a job of its own.</summary>
public sealed class SubmitSpecs : PoolSpec
{
    private static PoolOptions<int> Options(string name) => new()
    {
        Name = name,
        Workers = 2,
        Init = i => i,
        Handle = (_, m) => m is string s ? s.ToUpperInvariant() : throw new ArgumentException($"unknown {m}"),
    };

    [Fact(Timeout = 30_000)]
    public async Task TheSameSubmit_SentThreeTimes_RunsThreeTimesWithAnOutcomeEach()
    {
        var pool = Sys.SpawnPool(Options("resend"));
        var runs = 0;
        var submit = Submit.Run<int>(7, _ => Interlocked.Increment(ref runs));

        for (var i = 0; i < 3; i++)
        {
            pool.Ref.Tell(submit, TestActor);
        }

        var outcomes = ReceiveN(3, Watchdog).Cast<JobOutcome>().ToList();
        Assert.All(outcomes, o => Assert.Equal(7, Assert.IsType<JobCompleted>(o).JobId));
        Assert.Equal([1, 2, 3], outcomes.Select(o => (int)((JobCompleted)o).Result!).Order());
        Assert.Equal(3, runs);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((3, 3), (stats.Submitted, stats.Completed));
    }

    [Fact(Timeout = 30_000)]
    public async Task TheSameSubmit_SentToTwoPools_RunsInEachAndTheirCountsStayApart()
    {
        var first = Sys.SpawnPool(Options("resend-a"));
        var second = Sys.SpawnPool(Options("resend-b"));
        var submit = Submit.Message(9, "hi");

        first.Ref.Tell(submit, TestActor);
        second.Ref.Tell(submit, TestActor);

        var outcomes = ReceiveN(2, Watchdog).Cast<JobOutcome>().ToList();
        Assert.All(outcomes, o => Assert.Equal("HI", Assert.IsType<JobCompleted>(o).Result));
        Assert.Equal((1, 1), ((await AssertBalancedAsync(first)).Submitted, (await AssertBalancedAsync(first)).Completed));
        Assert.Equal((1, 1), ((await AssertBalancedAsync(second)).Submitted, (await AssertBalancedAsync(second)).Completed));
    }

    [Fact(Timeout = 30_000)]
    public async Task ASubmitThatFailed_SentAgain_FailsAgainWithItsOwnOutcome()
    {
        var pool = Sys.SpawnPool(Options("resend-fail") with { Panic = new() { Kind = Actorpool.Actors.Supervision.PanicKind.Resume } });
        var submit = Submit.Message(5, 42); // Handle throws on a non-string

        pool.Ref.Tell(submit, TestActor);
        Assert.IsType<ArgumentException>(ExpectMsg<JobFailed>(Watchdog).Cause);
        pool.Ref.Tell(submit, TestActor);
        Assert.IsType<ArgumentException>(ExpectMsg<JobFailed>(Watchdog).Cause);

        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((2, 2), (stats.Submitted, stats.Failed));
    }
}
