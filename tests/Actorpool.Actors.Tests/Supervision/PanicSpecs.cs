using System.Collections.Concurrent;
using Actorpool.Actors.Jobs;
using Actorpool.Actors.Pools;
using Actorpool.Actors.Supervision;
using Actorpool.Actors.Workers;
using Actorpool.Testing;
using Akka.Actor;
using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Actors.Tests.Supervision;

public sealed class PanicSpecs : PoolSpec
{
    private readonly Journal _log = new();

    private PoolOptions<Connection> Options(string name, PanicPolicy panic, int workers = 1) => new()
    {
        Name = name,
        Workers = workers,
        Panic = panic,
        Init = i =>
        {
            _log.Enqueue($"init {i}");
            return new Connection(i, _log);
        },
    };

    [Fact(Timeout = 30_000)]
    public async Task Kill_OnTheFirstFailure_FailsThatJobCancelsTheRestAndTerminatesThePool()
    {
        var time = new FakeTimeProvider();
        var pool = Sys.SpawnPool(Options("killed", PanicPolicy.Kill) with { TimeProvider = time });
        Watch(pool.Ref);
        using var gate = new ManualResetEventSlim();

        // The first job holds the only worker, so the others are still queued when the failure comes.
        var holder = pool.RunAsync(_ => gate.Wait(Watchdog));
        var failing = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("fatal"));
        var queued = Enumerable.Range(0, 5).Select(i => pool.RunAsync(_ => i)).ToArray();
        gate.Set();

        Assert.True(await holder.WaitAsync(Watchdog));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing).WaitAsync(Watchdog);
        foreach (var job in queued)
        {
            var cancelled = await Assert.ThrowsAsync<JobCancelledException>(() => job).WaitAsync(Watchdog);
            Assert.Contains("fatal", cancelled.Message, StringComparison.Ordinal);
        }

        ExpectTerminated(pool.Ref);
        var stats = await AssertBalancedAsync(pool);
        Assert.True(stats.Killed);
        Assert.Equal((7, 1, 1, 5), (stats.Submitted, stats.Completed, stats.Failed, stats.Cancelled));
        Assert.Equal(["init 0", "close 0"], _log);
    }

    [Fact(Timeout = 30_000)]
    public async Task Kill_InsideAnActor_TellsTheOwnerPoolFailed()
    {
        var owner = Sys.ActorOf(Props.Create(() => new Owner(TestActor, Options("owned", PanicPolicy.Kill))));

        owner.Tell("fail");

        var first = ExpectMsg<object>();
        var second = ExpectMsg<object>();
        var failed = Assert.Single(new[] { first, second }.OfType<PoolFailed>());
        Assert.Equal("owned", failed.Name);
        Assert.Equal("owner boom", failed.Cause.Message);
        Assert.Single(new[] { first, second }.OfType<JobFailed>());
        var pool = ExpectMsg<PoolRef<Connection>>();
        await pool.Completion.WaitAsync(Watchdog);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task Resume_KeepsTheStateAfterAFailure()
    {
        var pool = SpawnTestPool(Options("resumed", PanicPolicy.Resume));
        await pool.RunAsync(c => c.Uses = 41).WaitAsync(Watchdog);

        pool.Faults.FailNextJobs();
        var failing = pool.RunAsync(c => c.Uses = -1);
        var uses = await pool.RunAsync(c => ++c.Uses).WaitAsync(Watchdog);

        await Assert.ThrowsAsync<InjectedFaultException>(() => failing).WaitAsync(Watchdog);
        Assert.Equal(42, uses);
        Assert.Equal(["init 0"], _log);
        await WaitForQuiescenceAsync(pool);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((3, 2, 1, 0), (stats.Submitted, stats.Completed, stats.Failed, stats.Restarts));
    }

    [Fact(Timeout = 30_000)]
    public async Task Respawn_ACrashLoopBeyondTheBudget_TurnsIntoKill()
    {
        var pool = SpawnTestPool(Options("loop", PanicPolicy.Respawn(new RestartBudget(3, TimeSpan.FromMinutes(1)))), new FaultPlan().FailNextJobs(6));
        Watch(pool.Ref);

        var jobs = Enumerable.Range(0, 6).Select(i => pool.RunAsync(c => c.Index)).ToArray();

        ExpectTerminated(pool.Ref);
        var outcomes = await Task.WhenAll(jobs.Select(j => j.ContinueWith(t => t.Exception!.InnerException!, TaskScheduler.Default))).WaitAsync(Watchdog);
        // Four ran and failed; the other two never ran: cancelled by the kill, or rejected when the test thread was
        // descheduled and submitted them after the kill.
        Assert.Equal(4, outcomes.Count(e => e is InjectedFaultException));
        Assert.Equal(2, outcomes.Count(e => e is JobCancelledException { InnerException: RestartBudgetExceededException } or JobRejectedException));
        Assert.Equal(4, pool.Faults.Injected.Count);
        var stats = await AssertBalancedAsync(pool);
        Assert.True(stats.Killed);
        Assert.Equal(3, stats.Restarts);
        Assert.Equal(4, _log.Count(l => l == "init 0"));
        Assert.Equal(4, _log.Count(l => l == "close 0"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Respawn_WithBackoff_WaitsForTheClockBeforeRebuildingTheState()
    {
        var time = new FakeTimeProvider();
        var budget = new RestartBudget(10, TimeSpan.FromMinutes(1)) { InitialBackoff = TimeSpan.FromSeconds(2) };
        var pool = Sys.SpawnPool(Options("backoff", PanicPolicy.Respawn(budget)) with { TimeProvider = time });
        await pool.RunAsync(_ => 0).WaitAsync(Watchdog);

        var failing = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("once"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing).WaitAsync(Watchdog);
        await _log.WaitForAsync("close 0");
        var next = pool.RunAsync(c => c.Index);
        await pool.GetStatsAsync().WaitAsync(Watchdog);
        Assert.False(next.IsCompleted);
        Assert.Equal(["init 0", "close 0"], _log);

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(0, await next.WaitAsync(Watchdog));
        Assert.Equal(["init 0", "close 0", "init 0"], _log);
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task Respawn_WhenInitThrows_RetriesInitWithinTheBudgetThenKills()
    {
        var open = false;
        var pool = SpawnTestPool(
            Options("bad-init", PanicPolicy.Respawn(new RestartBudget(2, TimeSpan.FromMinutes(1)))) with
            {
                Scale = _ => Dynamic.Scale.Active(Volatile.Read(ref open) ? 1 : 0),
            },
            new FaultPlan().FailNextInits(10));
        Watch(pool.Ref);

        // The job waits in the backlog (no worker yet), so it is queued when the crash loop kills the pool.
        var job = pool.RunAsync(_ => 1);
        await pool.GetStatsAsync().WaitAsync(Watchdog);
        Volatile.Write(ref open, true);
        Time.Advance(TimeSpan.FromSeconds(1));

        ExpectTerminated(pool.Ref);
        var cancelled = await Assert.ThrowsAsync<JobCancelledException>(() => job).WaitAsync(Watchdog);
        var exceeded = Assert.IsType<RestartBudgetExceededException>(cancelled.InnerException);
        var injected = Assert.IsType<InjectedFaultException>(Assert.IsType<WorkerInitException>(exceeded.InnerException).InnerException);
        Assert.Equal(FaultKind.FailInit, injected.Fault!.Kind);
        Assert.Equal(3, pool.Faults.Injected.Count);
        Assert.Empty(_log); // the pool's own Init never ran: the plan threw first
        await AssertBalancedAsync(pool);
    }

    [Fact(Timeout = 30_000)]
    public async Task JobRetries_RetryAFailedJobOnAnotherWorkerBeforeReportingIt()
    {
        var pool = Sys.SpawnPool(Options("retry", PanicPolicy.Respawn().WithJobRetries(2), workers: 2));
        var seen = new ConcurrentQueue<int>();
        await _log.WaitForAsync("init 0");
        await _log.WaitForAsync("init 1");

        var flaky = await pool.RunAsync(c =>
        {
            seen.Enqueue(c.Index);
            return seen.Count < 2 ? throw new InvalidOperationException("flaky") : "ok";
        }).WaitAsync(Watchdog);
        var hopeless = pool.RunAsync<int>(int (_) => throw new InvalidOperationException("always"));

        Assert.Equal("ok", flaky);
        Assert.Equal(2, seen.Distinct().Count());
        await Assert.ThrowsAsync<InvalidOperationException>(() => hopeless).WaitAsync(Watchdog);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((2, 1, 1, 4), (stats.Submitted, stats.Completed, stats.Failed, stats.Restarts));
    }

    [Fact(Timeout = 30_000)]
    public async Task Failures_WhileTheBacklogIsFull_AreReportedAndNewSubmitsAreRejected()
    {
        var pool = Sys.SpawnPool(Options("full-fail", PanicPolicy.Respawn()) with { Backlog = 2, Prefetch = 1 });
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        pool.Ref.Tell(Submit.Run<Connection>(1, _ =>
        {
            started.Set();
            return gate.Wait(Watchdog);
        }), TestActor);
        Assert.True(started.Wait(Watchdog));

        pool.Ref.Tell(Submit.Run<Connection>(2, _ => throw new InvalidOperationException("two")), TestActor);
        pool.Ref.Tell(Submit.Run<Connection>(3, _ => throw new InvalidOperationException("three")), TestActor);
        pool.Ref.Tell(Submit.Run<Connection>(4, _ => "never"), TestActor);
        Assert.Equal(4, ExpectMsg<JobRejected>().JobId);
        gate.Set();

        var outcomes = new[] { ExpectMsg<JobOutcome>(), ExpectMsg<JobOutcome>(), ExpectMsg<JobOutcome>() };
        Assert.Equal(true, Assert.IsType<JobCompleted>(Assert.Single(outcomes, o => o.JobId == 1)).Result);
        Assert.Equal("two", Assert.IsType<JobFailed>(Assert.Single(outcomes, o => o.JobId == 2)).Cause.Message);
        Assert.Equal("three", Assert.IsType<JobFailed>(Assert.Single(outcomes, o => o.JobId == 3)).Cause.Message);
        Assert.Equal("after", await pool.RunAsync(_ => "after").WaitAsync(Watchdog));
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal((5, 2, 2, 1, 2), (stats.Submitted, stats.Completed, stats.Failed, stats.Rejected, stats.Restarts));
    }

    [Fact(Timeout = 30_000)]
    public async Task Failures_DuringDrain_AreReportedAndTheDrainStillCompletes()
    {
        var pool = Sys.SpawnPool(Options("drain-fail", PanicPolicy.Respawn(), workers: 2));
        var jobs = Enumerable.Range(0, 40).Select(i => pool.RunAsync(_ => i % 10 == 0 ? throw new InvalidOperationException($"bad {i}") : i)).ToArray();

        var report = await pool.DrainAsync().WaitAsync(Watchdog);

        Assert.Equal(36, report.Completed);
        Assert.Equal(4, jobs.Count(j => j.IsFaulted));
        await pool.Completion.WaitAsync(Watchdog);
        var stats = await AssertBalancedAsync(pool);
        Assert.Equal(4, stats.Failed);
        Assert.DoesNotContain(_log, l => l.Contains("AGAIN", StringComparison.Ordinal));
        Assert.Equal(_log.Count(l => l.StartsWith("init", StringComparison.Ordinal)), _log.Count(l => l.StartsWith("close", StringComparison.Ordinal)));
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_WithADeadline_CancelsTheRunningJobAndSaysSo()
    {
        var time = new FakeTimeProvider();
        var pool = Sys.SpawnPool(Options("deadline", PanicPolicy.Respawn()) with { TimeProvider = time });
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var running = pool.RunAsync(_ =>
        {
            started.Set();
            return gate.Wait(Watchdog);
        });
        var queued = pool.RunAsync(_ => true);
        Assert.True(started.Wait(Watchdog));

        var stopping = pool.StopAsync(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<JobCancelledException>(() => queued).WaitAsync(Watchdog);
        time.Advance(TimeSpan.FromSeconds(5));
        var report = await stopping.WaitAsync(Watchdog);

        Assert.True(report.DeadlineReached);
        Assert.Equal(2, report.Cancelled);
        await Assert.ThrowsAsync<JobCancelledException>(() => running).WaitAsync(Watchdog);
        gate.Set();
        await pool.Completion.WaitAsync(Watchdog);
        await AssertBalancedAsync(pool);
    }

    private sealed class Owner : UntypedActor
    {
        private readonly IActorRef _probe;
        private readonly PoolRef<Connection> _pool;

        public Owner(IActorRef probe, PoolOptions<Connection> options)
        {
            _probe = probe;
            _pool = Context.SpawnPool(options);
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case "fail":
                    _pool.Ref.Tell(Submit.Run<Connection>(1, _ => throw new InvalidOperationException("owner boom")), _probe);
                    break;
                case PoolFailed failed:
                    _probe.Tell(failed);
                    _probe.Tell(_pool);
                    break;
            }
        }
    }
}
