using Actorpool.Actors.Pools;
using Actorpool.Actors.Workers;

namespace Actorpool.Actors.Tests.Pools;

/// <summary>The pool's worker table, plain state tested without an ActorSystem (the actors are stand-in refs).</summary>
public sealed class WorkerTableTests
{
    private static readonly RecordingRef Pool = new("pool");

    private static WorkerEntry Add(WorkerTable table, int index, bool ready = true)
    {
        var worker = table.Add(new WorkerLink(index), new RecordingRef($"worker-{index}"));
        worker.Ready = ready;
        return worker;
    }

    private static void Hand(WorkerEntry worker, int jobs)
    {
        var batch = worker.InFlight.Rent(jobs);
        batch.Count = jobs;
        worker.InFlight.Add(batch);
    }

    [Fact]
    public void Pick_TakesTheReadyWorkerWithTheMostFreeCredit_SkippingFullStartingAndRetiringOnes()
    {
        var table = new WorkerTable(prefetch: 4, Pool);
        table.ReportRun(jobs: 1, ticks: 1); // tiny jobs measured: the credit is the prefetch
        var busy = Add(table, 0);
        var free = Add(table, 1);
        var starting = Add(table, 2, ready: false);
        var retiring = Add(table, 3);
        retiring.Retiring = true;
        Hand(busy, 3);
        Hand(free, 1);

        Assert.Same(free, table.Pick(avoid: -1));
        Hand(free, 3); // now full
        Assert.Same(busy, table.Pick(avoid: -1));
        Hand(busy, 1);
        Assert.Null(table.Pick(avoid: -1));
        Assert.NotSame(starting, table.Pick(avoid: -1));
    }

    [Fact]
    public void Pick_AvoidsARetrysLastWorker_UnlessItIsTheOnlyOneWithCredit()
    {
        var table = new WorkerTable(prefetch: 2, Pool);
        table.ReportRun(jobs: 1, ticks: 1); // tiny jobs measured: the credit is the prefetch
        var first = Add(table, 0);
        var second = Add(table, 1);

        Assert.Same(second, table.Pick(avoid: 0));
        Hand(second, 2);
        Assert.Same(first, table.Pick(avoid: 0));
    }

    [Fact]
    public void Indexes_AreReusedLowestFirst_AndLiveWorkersListInIndexOrder()
    {
        var table = new WorkerTable(prefetch: 1, Pool);
        var workers = Enumerable.Range(0, 4).Select(i => Add(table, i)).ToList();
        Assert.True(table.Remove(workers[1].Actor, out _));
        Assert.False(table.Remove(workers[1].Actor, out _));

        Assert.Equal([1, 4, 5], table.FreeIndexes(3));
        Assert.Equal([0, 2, 3], table.LiveByIndex().Select(s => s.Index));
        Assert.Null(table.Of(workers[1].Link));                  // the old incarnation's reports are ignored
        Assert.Same(workers[2], table.Of(workers[2].Link));
        Assert.Equal((3, 3), (table.Count, table.Live));
    }

    [Fact]
    public void LoadAndHealth_CountLiveWorkersOnly()
    {
        var table = new WorkerTable(prefetch: 2, Pool);
        Hand(Add(table, 0), 1);
        Add(table, 1);
        var failing = Add(table, 2, ready: false);
        failing.InitFailed = true;
        Add(table, 3).Retiring = true;

        Assert.Equal((1, 1, 3), table.Load());
        Assert.Equal((3, 1, 3), table.Health());
        Assert.False(table.AllIdle);
    }

    [Fact]
    public void Pick_SkipsWorkersTheScaleKeepsWarmWithoutJobs()
    {
        var table = new WorkerTable(prefetch: 4, Pool);
        table.ReportRun(jobs: 1, ticks: 1); // tiny jobs measured: the credit is the prefetch
        var active = Add(table, 0);
        var warm = Add(table, 1);
        warm.Inactive = true;
        Hand(active, 3);

        Assert.Same(active, table.Pick(avoid: -1)); // the warm one has more credit, but takes no job
        Hand(active, 1);
        Assert.Null(table.Pick(avoid: -1));
        Assert.Equal((2, 0, 1), table.Health());
    }

    [Fact]
    public void FirstAttempts_CompleteOnce_WhenEveryFirstWorkerTriedOrRetired()
    {
        var table = new WorkerTable(prefetch: 1, Pool);
        Add(table, 0, ready: false);
        Add(table, 1, ready: false);
        table.AwaitFirstAttempts();

        Assert.False(table.FirstAttempt(null));
        Assert.False(table.FirstAttempt(0));
        Assert.False(table.FirstAttempt(0)); // a second try of the same worker does not count twice
        Assert.True(table.FirstAttempt(1));
        Assert.False(table.FirstAttempt(1)); // once only
    }

    [Fact]
    public void WhyNoneCanRun_NamesADrainWithNoWorkers_AndABudgetlessPoolWhoseEveryWorkerFailsItsInit()
    {
        var table = new WorkerTable(prefetch: 1, Pool);
        var worker = Add(table, 0, ready: false);
        Assert.Null(table.WhyNoneCanRun("p", draining: true, target: 1, budgetless: true));

        worker.Inactive = true;
        Assert.Contains("draining and its scale function allows no workers", table.WhyNoneCanRun("p", draining: true, target: 0, budgetless: true)!.Value.Reason, StringComparison.Ordinal);

        worker.Inactive = false;
        worker.InitFailed = true;
        table.LastInitFailure = new WorkerInitException(0, new InvalidOperationException("no db"));
        Assert.Null(table.WhyNoneCanRun("p", draining: false, target: 1, budgetless: false)); // a budget will kill it
        var why = table.WhyNoneCanRun("p", draining: false, target: 1, budgetless: true)!.Value;
        Assert.Same(table.LastInitFailure, why.Failure);
        Assert.Contains("could build its state", why.Reason, StringComparison.Ordinal);

        Add(table, 1); // one worker started: jobs can run
        Assert.Null(table.WhyNoneCanRun("p", draining: false, target: 1, budgetless: true));
    }

    [Fact]
    public void RetireAll_TellsEachWorkerOnce_AndSoonerOnlyWhenNowIsSooner()
    {
        var table = new WorkerTable(prefetch: 2, Pool);
        var running = Add(table, 0);
        Hand(running, 1);
        var starting = Add(table, 1, ready: false);

        table.RetireAll(now: false);
        table.RetireAll(now: false);
        Assert.Equal([Retire.AfterQueued], Told(running));
        Assert.Equal([Retire.Immediately], Told(starting)); // holds no job: need not wait for its Init

        table.RetireAll(now: true);
        Assert.Equal([Retire.AfterQueued, Retire.Immediately], Told(running));
        Assert.Equal([Retire.Immediately], Told(starting));
        Assert.Equal(0, table.Live);
    }

    [Fact]
    public void Credit_FollowsTheMeasuredJobTime_BetweenOneAndThePrefetch()
    {
        var table = new WorkerTable(prefetch: 64, Pool);
        var ms = System.Diagnostics.Stopwatch.Frequency / 1000;
        Assert.Equal(1, table.Credit); // nothing measured yet: one job each

        table.ReportRun(jobs: 32, ticks: 32 * ms / 1000); // 1 µs per job
        Assert.Equal((64, 32), (table.Credit, table.BatchSize));

        table.ReportRun(jobs: 4, ticks: 10 * ms); // one batch that only looked slow (preempted): the credit holds
        Assert.Equal(64, table.Credit);

        for (var i = 0; i < 4; i++)
        {
            table.ReportRun(jobs: 1, ticks: 200 * ms); // a stream of 200 ms jobs
        }

        Assert.Equal((1, 1), (table.Credit, table.BatchSize));

        for (var i = 0; i < 4; i++)
        {
            table.ReportRun(jobs: 10, ticks: 10 * ms / 10); // 100 µs per job
        }

        Assert.InRange(table.Credit, 9, 11); // about 1 ms of work ahead
        table.ReportRun(jobs: 0, ticks: 0); // nothing to learn
        Assert.InRange(table.Credit, 9, 11);
    }

    [Fact]
    public void Broadcast_ReachesWorkersNotRetiring()
    {
        var table = new WorkerTable(prefetch: 1, Pool);
        var live = Add(table, 0);
        var retiring = Add(table, 1);
        table.Retire(retiring, now: false);

        table.Broadcast("hello");

        Assert.Equal("hello", Assert.IsType<WorkerBroadcast>(Assert.Single(Told(live))).Message);
        Assert.Equal([Retire.AfterQueued], Told(retiring));
    }

    private static List<object> Told(WorkerEntry worker) => ((RecordingRef)worker.Actor).Told;
}
