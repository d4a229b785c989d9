using System.Collections.Concurrent;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Akka.Actor;

namespace Actorpool.Actors.Tests.Dispatch;

/// <summary>Jobs reach the supervisor through its mailbox's intake: ordering, outcomes and counts as when they were messages.</summary>
public sealed class PoolMailboxSpecs : PoolSpec
{
    private static PoolOptions<int> Options(string name, int workers = 1, string? dispatcher = null) => new()
    {
        Name = name,
        Workers = workers,
        Dispatcher = dispatcher,
        Backlog = 100_000,
        Init = i => i,
    };

    [Theory(Timeout = 60_000)]
    [InlineData(null)] // the work-stealing dispatcher puts jobs into the intake itself
    [InlineData("akka.actor.default-dispatcher")] // Akka's dispatcher: the queue's Enqueue does
    public async Task Submits_FromSeveralThreads_EachGetOneOutcomeAndStartInTheirSendersOrder(string? dispatcher)
    {
        const int Senders = 4;
        const int PerSender = 3000;
        var pool = Sys.SpawnPool(Options("intake-order", dispatcher: dispatcher));
        var started = new ConcurrentQueue<(int Sender, int Seq)>();
        var probe = CreateTestProbe();

        var threads = Enumerable.Range(0, Senders).Select(s => new Thread(() =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                var job = (s, i);
                pool.Ref.Tell(Submit.Run<int>((s * PerSender) + i, _ =>
                {
                    started.Enqueue(job);
                    return null;
                }), probe.Ref);
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            Assert.True(t.Join(Watchdog));
        }

        var outcomes = probe.ReceiveN(Senders * PerSender, Watchdog).Cast<JobOutcome>().ToList();

        Assert.All(outcomes, o => Assert.IsType<JobCompleted>(o));
        Assert.Equal(Senders * PerSender, outcomes.Select(o => o.JobId).Distinct().Count());
        var order = started.ToArray();
        Assert.Equal(Senders * PerSender, order.Length);
        for (var s = 0; s < Senders; s++)
        {
            var mine = order.Where(o => o.Sender == s).Select(o => o.Seq).ToArray();
            Assert.Equal(Enumerable.Range(0, PerSender), mine); // one worker: start order is intake order
        }

        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((Senders * PerSender, Senders * PerSender), (stats.Submitted, stats.Completed));
    }

    [Fact(Timeout = 30_000)]
    public async Task Submits_FollowedByADrainFromTheSameSender_AllRunBeforeThePoolStops()
    {
        const int Jobs = 1000; // many intake budgets' worth, so most are still in the intake when the drain arrives
        var pool = Sys.SpawnPool(Options("intake-drain", workers: 2));
        for (var i = 0; i < Jobs; i++)
        {
            pool.Ref.Tell(Submit.Run<int>(i, w => w), TestActor);
        }

        pool.Ref.Tell(new DrainPool(), TestActor);

        var messages = ReceiveN(Jobs + 1, Watchdog).ToList();
        Assert.Equal(Jobs, messages.OfType<JobCompleted>().Count());
        var report = Assert.IsType<PoolStopReport>(messages[^1]);
        Assert.Equal(Jobs, report.Completed);
        await pool.Completion.WaitAsync(Watchdog);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((Jobs, Jobs), (stats.Submitted, stats.Completed));
    }

    [Fact(Timeout = 30_000)]
    public async Task Stats_AfterSubmitsFromTheSameSender_CountThemAll()
    {
        const int Jobs = 500;
        var pool = Sys.SpawnPool(Options("intake-stats"));
        for (var i = 0; i < Jobs; i++)
        {
            pool.Ref.Tell(Submit.Run<int>(i, w => w), TestActor);
        }

        var stats = await pool.Ref.Ask<PoolStats>(GetPoolStats.Instance, Watchdog);

        Assert.Equal(Jobs, stats.Submitted); // the Ask was sent after them: they are all counted, none lost
        Assert.Equal(Jobs, ReceiveN(Jobs, Watchdog).OfType<JobCompleted>().Count());
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task RunAsync_AndSubmits_ThroughOneIntake_KeepTheIdentityAcrossAStop()
    {
        const int Jobs = 2000;
        var pool = Sys.SpawnPool(Options("intake-stop", workers: 2));
        var tasks = new List<Task<int>>();
        for (var i = 0; i < Jobs; i++)
        {
            pool.Ref.Tell(Submit.Run<int>(i, w => w), TestActor);
            tasks.Add(pool.RunAsync(w => w));
        }

        var report = await pool.StopAsync().WaitAsync(Watchdog);
        await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Watchdog);
        var outcomes = ReceiveN(Jobs, Watchdog).Cast<JobOutcome>().ToList();

        Assert.Equal(Jobs, outcomes.Select(o => o.JobId).Distinct().Count());
        Assert.All(outcomes, o => Assert.True(o is JobCompleted or JobCancelled or JobRejected, o.GetType().Name));
        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully || t.Exception?.InnerException is JobCancelledException or JobRejectedException));
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal(2 * Jobs, stats.Submitted);
        Assert.Equal(report.Completed, stats.Completed);
    }

    [Fact(Timeout = 30_000)]
    public async Task Submits_ThatWorkersHaveCreditFor_GoStraightToThemAndTakeNoBacklogSlot()
    {
        const int Jobs = 8;
        var pool = Sys.SpawnPool(Options("intake-direct") with { Backlog = 1, Prefetch = Jobs });
        await WarmUpAsync(pool); // the worker is ready, and the pool knows its jobs are tiny (full credit)

        for (var i = 0; i < Jobs; i++)
        {
            pool.Ref.Tell(Submit.Run<int>(i, w => w), TestActor);
        }

        var outcomes = ReceiveN(Jobs, Watchdog).Cast<JobOutcome>().ToList();
        Assert.All(outcomes, o => Assert.IsType<JobCompleted>(o)); // a one-slot backlog would have rejected most
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((Jobs + WarmUpJobs, Jobs + WarmUpJobs, 0), (stats.Submitted, stats.Completed, stats.Rejected));
    }

    [Fact(Timeout = 30_000)]
    public async Task APoolSpawnedFromTheSystemOrAnActor_AcceptsJobsOnTheSendersThread()
    {
        var top = Sys.SpawnPool(Options("intake-accepts"));
        var nested = new TaskCompletionSource<PoolRef<int>>();
        Sys.ActorOf(Props.Create(() => new Spawner(nested)), "intake-owner");
        var inner = await nested.Task.WaitAsync(Watchdog);

        foreach (var pool in new[] { top, inner })
        {
            var cell = (ActorCell)((ActorRefWithCell)pool.Ref).Underlying;
            var queue = Assert.IsType<Actorpool.Actors.Dispatch.PoolMessageQueue>(cell.Mailbox!.MessageQueue);
            AwaitCondition(() => queue.Accepts, Watchdog); // set by the supervisor's PreStart, which runs after SpawnPool returns
            pool.Ref.Tell(Submit.Run<int>(1, w => w), TestActor);
            ExpectMsg<JobCompleted>(Watchdog);
            var stats = await AssertBalancedAsync(pool);
            Assert.Equal((1, 1), (stats.Submitted, stats.Completed));
        }
    }

    private sealed class Spawner : UntypedActor
    {
        public Spawner(TaskCompletionSource<PoolRef<int>> spawned) => spawned.SetResult(Context.SpawnPool(Options("intake-inner")));

        protected override void OnReceive(object message)
        {
        }
    }

    [Fact]
    public void AJob_ReachingTheIntakeAfterItClosed_IsSettledOnceAndCounted()
    {
        var counters = new Actorpool.Actors.Metrics.PoolCounters("closed-intake");
        var queue = new Actorpool.Actors.Dispatch.PoolMessageQueue();
        queue.Attach(counters);
        var deadLetters = new Akka.Dispatch.MessageQueues.UnboundedMessageQueue();
        var owner = CreateTestProbe().Ref;

        queue.CleanUp(owner, deadLetters); // the supervisor terminated
        var late = Submit.Run<int>(1, w => w);
        var needsMarker = queue.AddJob(owner, new Envelope(late, TestActor));
        queue.AddJob(owner, new Envelope(Submit.Message(2, "x"), CreateTestProbe().Ref)); // another sender

        Assert.False(needsMarker);
        Assert.Contains("terminated before the job reached it", ExpectMsg<JobRejected>(Watchdog).Reason, StringComparison.Ordinal);
        var stats = counters.Snapshot();
        Assert.Equal((2, 2), (stats.Submitted, stats.Rejected)); // accepted and settled on the sender's thread
        Assert.Equal(0, deadLetters.Count);
        Assert.Equal(0, queue.IntakeCount);
    }
}
