using Actorpool.Actors.Pools;
using Actorpool.Actors.Workers;
using Akka.Actor;

namespace Actorpool.Actors.Tests.Pools;

/// <summary>The pool's worker table, plain state tested without an ActorSystem (the actors are stand-in refs).</summary>
public sealed class WorkerTableTests
{
    private static WorkerEntry Add(WorkerTable table, int index, bool ready = true)
    {
        var worker = table.Add(new WorkerLink(index), new Nobody(index));
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
        var table = new WorkerTable(prefetch: 4);
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
        var table = new WorkerTable(prefetch: 2);
        var first = Add(table, 0);
        var second = Add(table, 1);

        Assert.Same(second, table.Pick(avoid: 0));
        Hand(second, 2);
        Assert.Same(first, table.Pick(avoid: 0));
    }

    [Fact]
    public void Indexes_AreReusedLowestFirst_AndLiveWorkersListInIndexOrder()
    {
        var table = new WorkerTable(prefetch: 1);
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
        var table = new WorkerTable(prefetch: 2);
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
        var table = new WorkerTable(prefetch: 4);
        var active = Add(table, 0);
        var warm = Add(table, 1);
        warm.Inactive = true;
        Hand(active, 3);

        Assert.Same(active, table.Pick(avoid: -1)); // the warm one has more credit, but takes no job
        Hand(active, 1);
        Assert.Null(table.Pick(avoid: -1));
        Assert.Equal((2, 0, 1), table.Health());
    }

    /// <summary>A distinct ref per worker, with no ActorSystem behind it.</summary>
    private sealed class Nobody(int id) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(new Address("test", "table")) / $"worker-{id}";

        public override IActorRefProvider Provider => throw new NotSupportedException();
    }
}
