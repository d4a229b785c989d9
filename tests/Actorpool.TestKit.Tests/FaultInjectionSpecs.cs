using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Actorpool.Actors.Workers;

namespace Actorpool.Testing.Tests;

/// <summary>Each kind of fault hits a real pool whose own code (Init, Handle) knows nothing of the plan.</summary>
public sealed class FaultInjectionSpecs : PoolSpec
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    private static PoolOptions<int> Options(string name, int workers = 1) => new()
    {
        Name = name,
        Workers = workers,
        Init = index => index,
        Handle = (index, message) => $"{message} on {index}",
    };

    [Fact(Timeout = 30_000)]
    public async Task FailNextJobs_FailsExactlyThatManyJobs_WithAnExceptionNamingTheFault()
    {
        var pool = SpawnTestPool(Options("fail-next") with { Panic = PanicPolicy.Resume }, new FaultPlan().FailNextJobs(2));

        var first = await Assert.ThrowsAsync<InjectedFaultException>(() => pool.RunAsync(index => index)).WaitAsync(Watchdog);
        await Assert.ThrowsAsync<InjectedFaultException>(() => pool.RunAsync(index => index)).WaitAsync(Watchdog);
        var after = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => pool.RunAsync(index => index + i))).WaitAsync(Watchdog);

        Assert.Equal(new InjectedFault(FaultKind.FailJob, 0), first.Fault);
        Assert.Contains("Injected fault FailJob on worker 0", first.Message, StringComparison.Ordinal);
        Assert.Equal([0, 1, 2], after);
        Assert.Equal(0, pool.Faults.Pending);
        Assert.Equal(2, pool.Faults.Injected.Count);
        await WaitForQuiescenceAsync(pool);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((5, 3, 2), (stats.Submitted, stats.Completed, stats.Failed));
    }

    [Fact(Timeout = 30_000)]
    public async Task FailNextJobOn_FailsTheNextJobOfThatWorkerOnly()
    {
        // Prefetch 1: a worker busy with a job is handed no other, so while one worker holds the gate every job goes
        // to the other one (the state is the worker's index). Own threads: the held one blocks no other worker.
        var pool = SpawnTestPool(Options("fail-worker", workers: 2) with { Prefetch = 1, Panic = PanicPolicy.Resume, OwnThreads = true });
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var holding = -1;
        var holder = pool.RunAsync(index =>
        {
            Volatile.Write(ref holding, index);
            started.Set();
            return gate.Wait(Watchdog);
        });
        Assert.True(started.Wait(Watchdog));
        var free = 1 - Volatile.Read(ref holding);
        pool.Faults.FailNextJobOn(holding).FailNextJobOn(free);

        var failed = await Assert.ThrowsAsync<InjectedFaultException>(() => pool.RunAsync(index => index)).WaitAsync(Watchdog);
        var passed = await pool.RunAsync(index => index).WaitAsync(Watchdog);

        Assert.Equal(new InjectedFault(FaultKind.FailWorkerJob, free), failed.Fault);
        Assert.Equal(free, passed); // its one fault is spent; the busy worker's fault did not hit it
        Assert.Equal(1, pool.Faults.Pending);
        gate.Set();
        Assert.True(await holder.WaitAsync(Watchdog));
        pool.Faults.Clear();
        await WaitForQuiescenceAsync(pool);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((3, 2, 1), (stats.Submitted, stats.Completed, stats.Failed));
    }

    [Fact(Timeout = 30_000)]
    public async Task FailNextInits_MakesInitThrow_AndTheRespawnedWorkerRunsTheJob()
    {
        var pool = SpawnTestPool(Options("fail-init"), new FaultPlan().FailNextInits(2));

        // Each failed Init backs off on the pool's clock (10 ms, then 20 ms): the spec's fake clock moves it.
        var job = pool.RunAsync(index => index + 40);
        Assert.Equal(40, await AdvanceUntilAsync(job));

        Assert.Equal([new InjectedFault(FaultKind.FailInit, 0), new InjectedFault(FaultKind.FailInit, 0)], pool.Faults.Injected);
        await WaitForQuiescenceAsync(pool);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((1, 1, 2), (stats.Submitted, stats.Completed, stats.Restarts));
    }

    [Fact(Timeout = 30_000)]
    public async Task FailNextInitOn_WithTheKillPolicy_KillsThePoolWithTheInjectedFaultAsItsCause()
    {
        var pool = SpawnTestPool(Options("fail-init-kill", workers: 2) with { Panic = PanicPolicy.Kill }, new FaultPlan().FailNextInitOn(1));
        Watch(pool.Ref);

        ExpectTerminated(pool.Ref, Watchdog);

        var init = Assert.IsType<WorkerInitException>(pool.Pool.KillCause);
        Assert.Equal(new InjectedFault(FaultKind.FailInit, 1), Assert.IsType<InjectedFaultException>(init.InnerException).Fault);
        var stats = await AssertBalancedAsync(pool);
        Assert.True(stats.Killed);
    }

    [Fact(Timeout = 30_000)]
    public async Task DelayNextJobs_HoldsSyncAndAsyncJobsUntilTheFakeClockPassesTheDelay()
    {
        // A synchronous job's delay holds its worker's thread: own threads, so the other worker runs meanwhile.
        var pool = SpawnTestPool(Options("delay", workers: 2) with { Prefetch = 1, OwnThreads = true }, new FaultPlan().DelayNextJobs(TimeSpan.FromSeconds(5), count: 2));

        var sync = pool.RunAsync(index => index);
        var async = pool.RunAsync(async (index, token) =>
        {
            await Task.Yield();
            return index;
        });
        await AwaitConditionAsync(() => Task.FromResult(pool.Faults.Injected.Count == 2), Watchdog);
        Time.Advance(TimeSpan.FromSeconds(4));
        var stats = await pool.GetStatsAsync().WaitAsync(Watchdog);

        Assert.False(sync.IsCompleted || async.IsCompleted, "A delayed job ended before the clock passed its delay.");
        Assert.Equal(2, stats.Busy);
        Time.Advance(TimeSpan.FromSeconds(1));
        var results = await Task.WhenAll(sync, async).WaitAsync(Watchdog);
        Assert.Equal([0, 1], results.Order());
        Assert.All(pool.Faults.Injected, f => Assert.Equal((FaultKind.DelayJob, TimeSpan.FromSeconds(5)), (f.Kind, f.Delay!.Value)));
        await WaitForQuiescenceAsync(pool);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task JobMessages_SeeTheFaultsThroughThePoolsOwnHandle()
    {
        var pool = SpawnTestPool(Options("messages"), new FaultPlan().FailNextJobs());

        pool.Ref.Tell(Submit.Message(1, "first"), TestActor);
        pool.Ref.Tell(Submit.Message(2, "second"), TestActor);

        var failed = ExpectMsg<JobFailed>(Watchdog);
        Assert.Equal(1, failed.JobId);
        Assert.Equal(FaultKind.FailJob, Assert.IsType<InjectedFaultException>(failed.Cause).Fault!.Kind);
        Assert.Equal("second on 0", ExpectMsg<JobCompleted>(Watchdog).Result);
        await WaitForQuiescenceAsync(pool);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task JobMessages_ToAnAsyncHandler_WaitOutAnInjectedDelayOnTheFakeClock()
    {
        var options = Options("messages-async") with
        {
            Handle = null,
            HandleAsync = (index, message, _) => ValueTask.FromResult<object?>($"{message} on {index}"),
        };
        var pool = SpawnTestPool(options, new FaultPlan().DelayNextJobs(TimeSpan.FromSeconds(3)));

        pool.Ref.Tell(Submit.Message(1, "late"), TestActor);
        await AwaitConditionAsync(() => Task.FromResult(pool.Faults.Injected.Count == 1), Watchdog);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal("late on 0", ExpectMsg<JobCompleted>(Watchdog).Result);
        Assert.Equal(new InjectedFault(FaultKind.DelayJob, 0, TimeSpan.FromSeconds(3)), Assert.Single(pool.Faults.Injected));
        await WaitForQuiescenceAsync(pool);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task SpawnTestPool_RunsThePoolOnTheSpecsFakeClock()
    {
        var pool = SpawnTestPool(Options("clock") with { JobTimeout = TimeSpan.FromSeconds(30) });
        using var started = new ManualResetEventSlim();

        var job = pool.RunAsync(async (_, token) =>
        {
            started.Set();
            await Task.Delay(Timeout.Infinite, token);
        });
        Assert.True(started.Wait(Watchdog));
        Time.Advance(TimeSpan.FromSeconds(30));

        var cancelled = await Assert.ThrowsAsync<JobCancelledException>(() => job).WaitAsync(Watchdog);
        Assert.IsType<TimeoutException>(cancelled.InnerException);
        await WaitForQuiescenceAsync(pool);
        await AssertBalancedAsync(pool);
    }

    /// <summary>Advances the fake clock a second at a time until <paramref name="task"/> ends (timers created after an advance need the next one).</summary>
    private async Task<T> AdvanceUntilAsync<T>(Task<T> task)
    {
        var deadline = DateTime.UtcNow + Watchdog;
        while (!task.IsCompleted && DateTime.UtcNow < deadline)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(task, Task.Delay(10));
        }

        return await task.WaitAsync(Watchdog);
    }
}
