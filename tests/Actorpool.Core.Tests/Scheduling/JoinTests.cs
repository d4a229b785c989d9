namespace Actorpool.Core.Tests.Scheduling;

public sealed class JoinTests
{
    [Fact(Timeout = 30_000)]
    public async Task Join_OfFunctions_ReturnsBothResults()
    {
        using var pool = Watchdog.Pool();
        (int A, string B) result = default;
        await Watchdog.Run(() => result = pool.Join(() => 6 * 7, () => "right"));
        Assert.Equal(42, result.A);
        Assert.Equal("right", result.B);
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_NestedFromExternalThread_RunsEveryLeafExactlyOnce()
    {
        using var pool = Watchdog.Pool(3);
        long leaves = 0;
        long result = 0;
        await Watchdog.Run(() => result = Fib.Compute(pool, 27, ref leaves));
        Assert.Equal(196_418, result);
        Assert.Equal(317_811, Interlocked.Read(ref leaves)); // fib(28) leaves in a fib(27) call tree
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_StressFromSeveralExternalThreads_CountsEveryJoinExactlyOnce()
    {
        using var pool = Watchdog.Pool(2);
        var totals = new long[4];
        var runs = Enumerable.Range(0, 4).Select(t => Watchdog.Run(() =>
        {
            long leaves = 0;
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(121_393, Fib.Compute(pool, 26, ref leaves));
            }

            totals[t] = leaves;
        }));
        await Task.WhenAll(runs);
        Assert.All(totals, t => Assert.Equal(3 * 196_418, t));
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_WhenLeftSideThrows_RethrowsAfterRightSideFinishes()
    {
        using var pool = Watchdog.Pool();
        var rightDone = false;
        await Watchdog.Run(() =>
        {
            var ex = Assert.Throws<InvalidOperationException>(() => pool.Join(
                () => throw new InvalidOperationException("left"),
                () =>
                {
                    Thread.SpinWait(10_000);
                    Volatile.Write(ref rightDone, true);
                }));
            Assert.Equal("left", ex.Message);
            Assert.True(Volatile.Read(ref rightDone));
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_WhenRightSideThrows_RethrowsAfterBothSidesFinish()
    {
        using var pool = Watchdog.Pool();
        var leftDone = false;
        await Watchdog.Run(() =>
        {
            var ex = Assert.Throws<FormatException>(() => pool.Join(
                () =>
                {
                    Thread.SpinWait(10_000);
                    leftDone = true;
                },
                () => throw new FormatException("right")));
            Assert.Equal("right", ex.Message);
            Assert.True(leftDone);
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_WhenBothSidesThrow_ThrowsAggregateWithBoth()
    {
        using var pool = Watchdog.Pool();
        await Watchdog.Run(() =>
        {
            var ex = Assert.Throws<AggregateException>(() => pool.Join(
                () => throw new InvalidOperationException("left"),
                () => throw new FormatException("right")));
            Assert.Collection(ex.InnerExceptions,
                e => Assert.Equal("left", e.Message),
                e => Assert.Equal("right", e.Message));
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_WhenBothSidesThrowAndNothingIsStolen_ThrowsAggregateWithBoth_OnBothInlinePaths()
    {
        // One worker, kept busy, and an outside caller that takes its place: no thread can steal the right half, so
        // the outer Join pops its own frame (the unstolen path) and the inner one runs both halves inline (lazy
        // splitting while the outer frame waits): both paths run every time, not only when no thief happens by.
        using var pool = Watchdog.Pool(1);
        using var busy = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = pool.Spawn(() =>
        {
            busy.Set();
            release.Wait(Watchdog.Limit);
        });
        Assert.True(busy.Wait(Watchdog.Limit));
        try
        {
            await Watchdog.Run(() =>
            {
                for (var round = 0; round < 100; round++)
                {
                    AggregateException? inner = null;
                    var outer = Assert.Throws<AggregateException>(() => pool.Join(
                        () =>
                        {
                            inner = Assert.Throws<AggregateException>(() => pool.Join(
                                () => throw new InvalidOperationException("inner left"),
                                () => throw new FormatException("inner right")));
                            throw new InvalidOperationException("left");
                        },
                        () => throw new FormatException("right")));

                    Assert.Equal(["left", "right"], outer.InnerExceptions.Select(e => e.Message));
                    Assert.Equal(["inner left", "inner right"], inner!.InnerExceptions.Select(e => e.Message));
                }
            });
        }
        finally
        {
            release.Set();
        }

        blocker.Join();
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_StolenRightSideThatThrows_RethrowsOnTheCaller()
    {
        using var pool = Watchdog.Pool(2);
        await Watchdog.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                // The left side waits until the right side has been stolen and has thrown.
                var rightStarted = 0;
                var ex = Assert.Throws<InvalidOperationException>(() => pool.Join(
                    () => SpinUntil(() => Volatile.Read(ref rightStarted) == 1 || i % 2 == 0),
                    () =>
                    {
                        Volatile.Write(ref rightStarted, 1);
                        throw new InvalidOperationException("stolen");
                    }));
                Assert.Equal("stolen", ex.Message);
            }
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_OfStructJobs_CopiesResultsBackToCaller()
    {
        using var pool = Watchdog.Pool();
        await Watchdog.Run(() =>
        {
            var a = new Square { Input = 3 };
            var b = new Square { Input = 4 };
            pool.Join(ref a, ref b);
            Assert.Equal(9, a.Output);
            Assert.Equal(16, b.Output);
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task JoinAll_RunsEveryFunctionOnceAndKeepsArgumentOrder()
    {
        using var pool = Watchdog.Pool(3);
        await Watchdog.Run(() =>
        {
            var calls = new int[37];
            var functions = Enumerable.Range(0, 37).Select(i => (Func<int>)(() =>
            {
                Interlocked.Increment(ref calls[i]);
                return i * i;
            })).ToArray();
            var results = pool.JoinAll(functions);
            Assert.Equal(Enumerable.Range(0, 37).Select(i => i * i), results);
            Assert.All(calls, c => Assert.Equal(1, c));
        });
    }

    [Fact(Timeout = 30_000)]
    public async Task JoinAll_WhenSeveralThrow_ThrowsOneFlatAggregateAfterAllRan()
    {
        using var pool = Watchdog.Pool(2);
        var ran = 0;
        await Watchdog.Run(() =>
        {
            var actions = Enumerable.Range(0, 8).Select(i => (Action)(() =>
            {
                Interlocked.Increment(ref ran);
                if (i % 3 == 0)
                {
                    throw new InvalidOperationException($"unit {i}");
                }
            })).ToArray();
            var ex = Assert.Throws<AggregateException>(() => pool.JoinAll(actions));
            Assert.Equal(["unit 0", "unit 3", "unit 6"], ex.InnerExceptions.Select(e => e.Message).Order());
        });
        Assert.Equal(8, ran);
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_FromExternalThread_CompletesWhileAllWorkersRunLongBackgroundTasks()
    {
        using var pool = Watchdog.Pool(2);
        using var release = new ManualResetEventSlim();
        var started = new CountdownEvent(2);
        var blockers = Enumerable.Range(0, 2).Select(_ => pool.Spawn(() =>
        {
            started.Signal();
            release.Wait();
        })).ToList();
        Assert.True(started.Wait(Watchdog.Limit));
        long leaves = 0;
        await Watchdog.Run(() => Assert.Equal(6765, Fib.Compute(pool, 20, ref leaves)));
        release.Set();
        foreach (var b in blockers)
        {
            await b.AsTask().WaitAsync(Watchdog.Limit);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_InsideBackgroundTask_RunsOnPoolThreadAndCompletes()
    {
        using var pool = Watchdog.Pool(2);
        var handle = pool.Spawn(() =>
        {
            long leaves = 0;
            return (Fib.Compute(pool, 22, ref leaves), Thread.CurrentThread.Name);
        });
        var (value, thread) = await handle.AsTask().WaitAsync(Watchdog.Limit);
        Assert.Equal(17_711, value);
        Assert.StartsWith("test-pool-", thread);
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_WhileWaitingForAStolenHalf_NeverRunsBackgroundWork()
    {
        using var pool = Watchdog.Pool(1);
        using var rightStarted = new ManualResetEventSlim();
        using var backgroundStarted = new ManualResetEventSlim();
        TaskHandle<string?>? background = null;
        var joiner = "";
        await Watchdog.Run(() =>
        {
            joiner = Thread.CurrentThread.Name!;
            pool.Join(
                () =>
                {
                    // Make sure the only worker has stolen the right half, then queue background work.
                    Assert.True(rightStarted.Wait(Watchdog.Limit));
                    background = pool.Spawn(() =>
                    {
                        backgroundStarted.Set();
                        return Thread.CurrentThread.Name;
                    });
                },
                () =>
                {
                    rightStarted.Set();

                    // Hold the worker: if the waiting caller wrongly took background work, it starts now.
                    backgroundStarted.Wait(TimeSpan.FromMilliseconds(100));
                });
        });
        var ranOn = await background!.AsTask().WaitAsync(Watchdog.Limit);
        Assert.Equal("test-pool-0", ranOn);
        Assert.NotEqual(joiner, ranOn);
    }

    private static void SpinUntil(Func<bool> condition)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && sw.Elapsed < TimeSpan.FromMilliseconds(5))
        {
            Thread.SpinWait(50);
        }
    }

    private struct Square : IJob
    {
        public int Input;
        public int Output;

        public void Run() => Output = Input * Input;
    }
}

/// <summary>fib with a Join at every level, counting leaves.</summary>
internal static class Fib
{
    internal static long Compute(WorkStealingPool pool, int n, ref long leaves)
    {
        var counter = new StrongCounter();
        var job = new Job { Pool = pool, N = n, Counter = counter };
        job.Run();
        leaves += counter.Value;
        return job.Result;
    }

    private sealed class StrongCounter
    {
        public long Value;
    }

    private struct Job : IJob
    {
        public WorkStealingPool Pool;
        public int N;
        public StrongCounter Counter;
        public long Result;

        public void Run()
        {
            if (N < 2)
            {
                Interlocked.Increment(ref Counter.Value);
                Result = N;
                return;
            }

            var a = new Job { Pool = Pool, N = N - 1, Counter = Counter };
            var b = new Job { Pool = Pool, N = N - 2, Counter = Counter };
            Pool.Join(ref a, ref b);
            Result = a.Result + b.Result;
        }
    }
}
