using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Workers;

namespace Actorpool.Actors.Tests.Pools;

/// <summary>Jobs given to workers in batches, plain state tested without an ActorSystem (workers are recording refs).</summary>
public sealed class HandoutTests
{
    private readonly PoolShared _shared = new("p", backlog: 16);
    private readonly RecordingRef _pool = new("pool");
    private readonly Admission _admission;
    private readonly WorkerTable _workers;
    private readonly Handout _handout;
    private long _ids;

    public HandoutTests()
    {
        _admission = new Admission(_shared, new Shutdown("p"), _pool);
        _workers = new WorkerTable(prefetch: 4, _pool);
        _handout = new Handout(_admission, _workers, _pool);
    }

    /// <summary>Reports tiny jobs (as a worker would after its first batch): the credit opens up to the prefetch.</summary>
    private void MeasuredTinyJobs()
    {
        _workers.ReportRun(jobs: 2, ticks: 2);
        Assert.Equal((4, 2), (_workers.Credit, _workers.BatchSize));
    }

    private WorkerEntry Worker(int index)
    {
        var worker = _workers.Add(new WorkerLink(index), new RecordingRef($"worker-{index}"));
        worker.Ready = true;
        return worker;
    }

    private TaskJob<int, int> Wait()
    {
        var job = new TaskJob<int, int>(++_ids, s => s, _shared.Counters);
        Assert.True(_admission.Wait(job));
        return job;
    }

    private static List<long> Batches(WorkerEntry worker) =>
        [.. ((RecordingRef)worker.Actor).Told.Cast<JobBatch>().SelectMany(b => b.Jobs.Take(b.Count)).Select(j => j.Id)];

    [Fact]
    public void FromBacklog_GivesEachWorkerAtMostHalfItsPrefetchPerBatch_InOrder_UpToItsCredit_AndGivesPermitsBack()
    {
        var first = Worker(0);
        var second = Worker(1);
        MeasuredTinyJobs();
        for (var i = 0; i < 9; i++)
        {
            Wait();
        }

        _handout.FromBacklog();

        // Prefetch 4: batches of 2, four jobs per worker, the most-credit worker first; one job stays in the backlog.
        Assert.Equal([1, 2, 5, 6], Batches(first));
        Assert.Equal([3, 4, 7, 8], Batches(second));
        Assert.Equal((4, 4), (first.InFlight.Count, second.InFlight.Count));
        Assert.Equal(1, _admission.Count);
        Assert.Equal(15, _shared.Gate.Free); // the eight handed out gave their permits back
    }

    [Fact]
    public void FromBacklog_DropsJobsCancelledWhileTheyWaited_AndSendsNoEmptyBatch()
    {
        var worker = Worker(0);
        var cancelled = Wait();
        Assert.True(cancelled.TryCancel("caller gave up", null, _pool, evenIfRunning: false));

        _handout.FromBacklog();

        Assert.Empty(((RecordingRef)worker.Actor).Told);
        Assert.Equal((0, 0, 16), (worker.InFlight.Count, _admission.Count, _shared.Gate.Free));
    }

    [Fact]
    public void BeforeAnyJobWasMeasured_EachWorkerGetsOneJob_SoASlowFirstBurstSpreads()
    {
        var workers = Enumerable.Range(0, 4).Select(Worker).ToList();
        for (var i = 0; i < 8; i++)
        {
            Wait();
        }

        _handout.FromBacklog();

        Assert.All(workers, w => Assert.Single(Batches(w)));
        Assert.Equal(4, _admission.Count);

        _workers.ReportRun(jobs: 1, ticks: System.Diagnostics.Stopwatch.Frequency / 5); // a job took 200 ms
        Assert.Equal(1, _workers.Credit);
    }

    [Fact]
    public void FromBacklog_WaitsWhileNoWorkerIsReady()
    {
        var worker = Worker(0);
        worker.Ready = false;
        Wait();

        _handout.FromBacklog();

        Assert.Equal(1, _admission.Count);
        Assert.Empty(((RecordingRef)worker.Actor).Told);
    }
}
