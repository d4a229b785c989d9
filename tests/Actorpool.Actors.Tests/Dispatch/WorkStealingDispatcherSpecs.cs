using Actorpool.Actors.Dispatch;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Workers;
using Akka.Actor;

namespace Actorpool.Actors.Tests.Dispatch;

public sealed class WorkStealingDispatcherSpecs : PoolSpec
{
    private static PoolOptions<int> Options(string name, int workers = 2) => new() { Name = name, Workers = workers, Init = i => i };

    [Fact(Timeout = 30_000)]
    public async Task PoolWorkers_ByDefault_RunOnTheWorkStealingPoolThreads()
    {
        var pool = Sys.SpawnPool(Options("on-core"));

        var threads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pool.RunAsync(_ => Thread.CurrentThread.Name))).WaitAsync(Watchdog);

        Assert.All(threads, name => Assert.StartsWith("actorpool-worker", name, StringComparison.Ordinal));
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnAsyncJob_ResumesOnTheDispatchersThreads_ASynchronousJobSeesNoContext()
    {
        var pool = Sys.SpawnPool(Options("resume"));

        var resumedOn = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pool.RunAsync(async _ =>
        {
            await Task.Yield();
            return Thread.CurrentThread.Name;
        }))).WaitAsync(Watchdog);
        var message = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => pool.Ref.Ask<JobCompleted>(
            Submit.RunAsync<int, string?>(i, async (_, _) =>
            {
                await Task.Delay(1);
                return Thread.CurrentThread.Name;
            }), Watchdog))).WaitAsync(Watchdog);
        var unwound = await pool.RunAsync(async _ =>
        {
            await Task.Delay(1).ConfigureAwait(false);
            return Thread.CurrentThread.IsThreadPoolThread;
        }).WaitAsync(Watchdog);
        var syncContext = await pool.RunAsync(_ => SynchronizationContext.Current).WaitAsync(Watchdog);

        Assert.All(resumedOn, name => Assert.StartsWith("actorpool-worker", name, StringComparison.Ordinal));
        Assert.All(message, done => Assert.StartsWith("actorpool-worker", (string?)done.Result, StringComparison.Ordinal));
        Assert.True(unwound, "ConfigureAwait(false) resumes on the ThreadPool");
        Assert.Null(syncContext);
        await AssertBalancedAsync(pool);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnAsyncJob_BlockingOnATaskThatResumesOnTheDispatcher_StillFinishes_WhenEveryDispatcherThreadBlocks(bool innerYields)
    {
        // One dispatcher thread, one worker: the job blocks that thread on an inner task whose continuation waits for
        // the same dispatcher (sync over async). Either the continuation is queued there (the inner task awaits a
        // delay: it resumes from a timer thread), and the starvation guard hands it to the ThreadPool; or it is held for
        // the worker (the inner task yields: posted on the worker's own thread while the step runs), and the guard
        // queues it, then hands it to the ThreadPool. Without the guard either way waits forever.
        var system = ActorSystem.Create("resume-starved", """
            akka.loglevel = WARNING
            actorpool.work-stealing-dispatcher.work-stealing.threads = 1
            """);
        try
        {
            var pool = system.SpawnPool(Options("sync-over-async", workers: 1));

            var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => pool.RunAsync(async state =>
            {
                var inner = InnerAsync(i, innerYields).GetAwaiter().GetResult(); // before any await: blocks the dispatcher's only thread
                await Task.Yield();
                return inner;
            }))).WaitAsync(Watchdog);

            Assert.Equal([0, 10, 20, 30, 40], results);
            var stats = await pool.GetStatsAsync().WaitAsync(Watchdog);
            Assert.Equal((5L, 5L), (stats.Submitted, stats.Completed));
            await pool.DrainAsync().WaitAsync(Watchdog);
        }
        finally
        {
            await system.Terminate().WaitAsync(Watchdog);
        }

        static async Task<int> InnerAsync(int i, bool yields)
        {
            if (yields)
            {
                await Task.Yield(); // posted on the worker's thread during the step: held for the worker
            }
            else
            {
                await Task.Delay(1); // captures the job's context: resumes on the dispatcher, whose thread waits above
            }

            return i * 10;
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task AContinuationPostedInAJobsFirstStep_RunsOnItsWorker_AsSoonAsTheStepReturns()
    {
        // `await Task.Yield()` posts the rest of the job while its first step still runs on the worker's thread: the
        // worker runs it right after the step, on that thread and still as the worker (WorkerContext set), instead of
        // queueing it on the dispatcher. Only the starvation guard (a step stalled past its patience on a loaded
        // machine) may run one elsewhere, hence "most" rather than "all".
        const int Jobs = 200;
        var pool = Sys.SpawnPool(Options("held", workers: 2));

        var resumed = await Task.WhenAll(Enumerable.Range(0, Jobs).Select(_ => pool.RunAsync(async _ =>
        {
            var (thread, worker) = (Environment.CurrentManagedThreadId, WorkerContext.Index);
            await Task.Yield();
            return Environment.CurrentManagedThreadId == thread && worker is not null && WorkerContext.Index == worker;
        }))).WaitAsync(Watchdog);

        Assert.True(resumed.Count(same => same) >= Jobs * 9 / 10, $"{resumed.Count(same => same)} of {Jobs} resumed on their worker's thread");
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 60_000)]
    public async Task WhatAStepPostsButDoesNotWaitFor_StillRuns_AndAJobFailingOrCancelledAfterItsFirstAwait_GetsThatOutcome()
    {
        var pool = Sys.SpawnPool(Options("held-outcomes", workers: 1));
        var forgotten = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thrown = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Posted, never awaited, and the job returns at once (its step ends the job): the post still runs.
        var done = await pool.RunAsync((state, token) =>
        {
            _ = FireAndForget(forgotten);
            return ValueTask.FromResult(1);
        }).WaitAsync(Watchdog);

        // A posted callback that throws (user code, not an await) does not fail the job that posted it.
        var survived = await pool.RunAsync(async _ =>
        {
            SynchronizationContext.Current!.Post(_ =>
            {
                thrown.TrySetResult(true);
                throw new InvalidOperationException("a posted callback failed");
            }, null);
            await Task.Delay(1);
            return 2;
        }).WaitAsync(Watchdog);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => pool.RunAsync<int>(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("after the first await");
        }).WaitAsync(Watchdog));
        using var cancel = new CancellationTokenSource();
        var cancelled = pool.RunAsync(async (_, token) =>
        {
            await Task.Yield();
            cancel.Cancel();
            token.ThrowIfCancellationRequested();
            return 3;
        }, cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Watchdog));

        Assert.Equal((1, 2), (done, survived));
        Assert.True(await forgotten.Task.WaitAsync(Watchdog));
        Assert.True(await thrown.Task.WaitAsync(Watchdog));
        Assert.Equal("after the first await", failed.Message);
        var stats = await pool.GetStatsAsync().WaitAsync(Watchdog);
        Assert.Equal((4L, 2L, 1L, 1L), (stats.Submitted, stats.Completed, stats.Failed, stats.Cancelled));
        await AssertBalancedAsync(pool);

        static async Task FireAndForget(TaskCompletionSource<bool> done)
        {
            await Task.Yield();
            done.TrySetResult(true);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task AJobInsideAWorker_CanJoinAndRunParallelLoopsOnTheSameThreads()
    {
        var pool = Sys.SpawnPool(Options("joins", workers: 4));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(j => pool.RunAsync(_ =>
        {
            var (a, b) = WorkStealingPool.Default.Join(() => j, () => 1000);
            long sum = 0;
            WorkStealingPool.Default.For(0, 1000, i => Interlocked.Add(ref sum, i));
            return a + b + sum;
        }))).WaitAsync(Watchdog);

        Assert.Equal(Enumerable.Range(0, 8).Select(j => j + 1000 + 499_500L), results);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task PoolOptionsDispatcher_OptsOutOfTheWorkStealingDispatcher()
    {
        var pool = Sys.SpawnPool(Options("opt-out") with { Dispatcher = "akka.actor.default-dispatcher" });

        var name = await pool.RunAsync(_ => Thread.CurrentThread.Name).WaitAsync(Watchdog);

        Assert.False(name?.StartsWith("actorpool-worker", StringComparison.Ordinal) ?? false, name);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task Hocon_GivesTheDispatcherAPoolOfItsOwn()
    {
        var system = ActorSystem.Create("hocon", """
            akka.loglevel = WARNING
            actorpool.work-stealing-dispatcher.work-stealing {
              threads = 1
              thread-name-prefix = "custom-ws"
            }
            """);
        try
        {
            var pool = system.SpawnPool(Options("own-threads"));

            var threads = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => pool.RunAsync(_ => Thread.CurrentThread.Name))).WaitAsync(Watchdog);

            Assert.All(threads, name => Assert.StartsWith("custom-ws", name, StringComparison.Ordinal));
            Assert.True(system.Dispatchers.HasDispatcher(WorkStealingDispatcher.Id));
            await pool.DrainAsync().WaitAsync(Watchdog);
        }
        finally
        {
            await system.Terminate().WaitAsync(Watchdog);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task ActorsOfYourOwn_CanUseTheDispatcherById()
    {
        WorkStealingDispatcher.Register(Sys);
        var echo = Sys.ActorOf(Props.Create(() => new ThreadEcho()).WithDispatcher(WorkStealingDispatcher.Id));

        var name = await echo.Ask<string>("which thread?", Watchdog);

        Assert.StartsWith("actorpool-worker", name, StringComparison.Ordinal);
    }

    private sealed class ThreadEcho : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(Thread.CurrentThread.Name ?? "");
    }
}
