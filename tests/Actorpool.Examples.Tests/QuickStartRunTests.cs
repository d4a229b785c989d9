using Actorpool.Actors.Jobs;
using Actorpool.Examples.Snippets.QuickStart;
using Akka.Actor;

namespace Actorpool.Examples.Tests;

/// <summary>The README's quick starts (examples/Snippets/QuickStart) run to completion and do what their comments say.</summary>
public sealed class QuickStartRunTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(40);

    [Fact(Timeout = 60_000)]
    public async Task Supervision_ParsesOne_FailsOne_AndTheCountsAddUp()
    {
        var (parsed, stats) = await SupervisionQuickStart.RunAsync().WaitAsync(Watchdog);

        Assert.Equal(42, parsed);
        Assert.Equal((2L, 1L, 1L, 0L, 0L), (stats.Submitted, stats.Completed, stats.Failed, stats.Rejected, stats.Cancelled));
        Assert.False(stats.Killed);
    }

    [Fact(Timeout = 60_000)]
    public async Task Dynamic_TheWorkersTakeEveryItemOnce_ThenTheScaleEndsThePool()
    {
        Assert.Equal(5050, await DynamicQuickStart.RunAsync().WaitAsync(Watchdog));
    }

    [Fact(Timeout = 60_000)]
    public async Task Backpressure_RefusesWhatTheBacklogCannotHold_AndRunsEveryAcceptedJobOnce()
    {
        using var system = QuietSystem();

        var (accepted, last, stats) = await BackpressureQuickStart.RunAsync(system).WaitAsync(Watchdog);

        // 20 offers of 50 ms jobs to one worker with a backlog of 4: some are accepted, not all (the loop takes microseconds).
        Assert.InRange(accepted, 4, 19);
        Assert.Equal(99, last);
        // Every offer is counted: a refused one as rejected.
        Assert.Equal((21L, accepted + 1L, 0L, 20L - accepted, 0L), (stats.Submitted, stats.Completed, stats.Failed, stats.Rejected, stats.Cancelled));
    }

    [Fact(Timeout = 60_000)]
    public async Task Messages_OneOutcomeForTheSubmit_AndEveryTickResultIsTheWorkersAnswer()
    {
        using var system = QuietSystem();

        var (outcome, results, left) = await MessagesQuickStart.RunAsync(system).WaitAsync(Watchdog);

        var completed = Assert.IsType<JobCompleted>(outcome);
        Assert.Equal(1, completed.JobId);
        Assert.Matches("^hello Ada from worker [0-9]+$", Assert.IsType<string>(completed.Result));
        Assert.Empty(left.Failures);
        var all = results.Concat(left.Messages.Select(m => m.Value)).ToList();
        Assert.InRange(all.Count, 1, 3);    // one worker, three ticks; Stop stops when called, so the last may be unsent
        Assert.All(all, r => Assert.Equal(r.Tick * 2, r.Value));
        Assert.Equal(all.Select(r => r.Tick).Order(), all.Select(r => r.Tick));
    }

    [Fact(Timeout = 60_000)]
    public async Task WorkStealing_FibLoopAndQuery_GiveTheExactAnswers()
    {
        var (fib, lastSquare, evenSum) = await Task.Run(WorkStealingQuickStart.Run).WaitAsync(Watchdog);

        Assert.Equal(832_040, fib);
        Assert.Equal(999L * 999, lastSquare);
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => (long)i * i).Where(s => s % 2 == 0).Sum(), evenSum);
    }

    [Fact(Timeout = 60_000)]
    public async Task Hosting_StartsAHost_RunsAJobFromDi_AndStops()
    {
        var png = await HostingQuickStart.RunAsync(["--Logging:LogLevel:Default=Warning"]).WaitAsync(Watchdog);

        Assert.Matches("^thumbnail 7 by [01]$", png);
    }

    private static ActorSystem QuietSystem() => ActorSystem.Create("quick", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
}
