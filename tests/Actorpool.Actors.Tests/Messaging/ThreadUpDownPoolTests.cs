using Actorpool.Actors.Messaging;

namespace Actorpool.Actors.Tests.Messaging;

public class ThreadUpDownPoolTests
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    private static ThreadUpDownPool<string, string> EchoPool(int workers, UpDownOptions? options = null)
    {
        var pool = UpDownPool.CreateThreaded<string, string>(options);
        for (var i = 0; i < workers; i++)
        {
            pool.Execute(w => w.Run(message => w.Send(message)));
        }

        return pool;
    }

    [Fact(Timeout = 30_000)]
    public async Task RecvBurst_WhenAMessageIsStampedAfterTheCall_EndsTheBurstAndReturnsItFirstNextTime()
    {
        var clock = new InterleavingClock();
        ThreadWorker<string, string>? worker = null;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var pool = UpDownPool.CreateThreaded<string, string>(UpDownOptions.Default.WithTimeProvider(clock));
        pool.Execute(w =>
        {
            worker = w;
            started.SetResult();
            w.Run(_ => { });
        });
        await started.Task.WaitAsync(Watchdog);

        Assert.True(worker!.TrySend("early"));
        clock.Fake.Advance(TimeSpan.FromSeconds(1));
        clock.AfterNextRead(() =>
        {
            clock.Fake.Advance(TimeSpan.FromSeconds(1));
            Assert.True(worker.TrySend("late"));
            Assert.True(worker.TrySend("later"));
        });

        var first = pool.RecvBurst();
        var second = pool.RecvBurst();

        Assert.Equal(["early"], first.Select(m => m.Value));
        Assert.Equal(["late", "later"], second.Select(m => m.Value));
        Assert.True(second[0].Timestamp > first[0].Timestamp);
        Assert.Equal(0, second[0].Worker);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendToNext_GoesRoundRobinFromWorkerZero()
    {
        using var pool = UpDownPool.CreateThreaded<int, (int Value, int Index)>();
        for (var i = 0; i < 3; i++)
        {
            pool.Execute(w => w.Run(value => w.Send((value, w.Index))));
        }

        var targets = Enumerable.Range(0, 9).Select(pool.SendToNext).ToList();
        var received = new List<UpMessage<(int Value, int Index)>>();
        for (var i = 0; i < 9; i++)
        {
            received.Add(await pool.RecvAsync().AsTask().WaitAsync(Watchdog));
        }

        Assert.Equal([0, 1, 2, 0, 1, 2, 0, 1, 2], targets);
        Assert.All(received, m => Assert.Equal(m.Value.Value % 3, m.Value.Index));
        Assert.All(received, m => Assert.Equal(m.Value.Index, m.Worker));
        Assert.Empty((await pool.StopAndJoinAsync().WaitAsync(Watchdog)).Messages);
    }

    [Fact(Timeout = 30_000)]
    public async Task Send_WhenFull_BlocksUntilTheManagerTakes_AndTrySendReturnsFalse()
    {
        using var pool = UpDownPool.CreateThreaded<string, string>(UpDownOptions.Default.WithCapacity(1));
        using var triedBoth = new ManualResetEventSlim();
        pool.Execute(w =>
        {
            var first = w.TrySend("1");
            var second = w.TrySend("2");
            triedBoth.Set(); // the manager takes nothing before both tries (else "2" could find room)
            w.Send("3");
            w.Send($"{first},{second}");
            w.Run(_ => { });
        });

        Assert.True(triedBoth.Wait(Watchdog));
        var values = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            values.Add((await pool.RecvAsync().AsTask().WaitAsync(Watchdog)).Value);
        }

        Assert.Equal(["1", "3", "True,False"], values);
        Assert.Equal(1, pool.Queue.Peak);
        await pool.StopAndJoinAsync().WaitAsync(Watchdog);
    }

    [Fact(Timeout = 30_000)]
    public async Task StopAndJoin_WhenWorkersAreBlockedOnAFullUpQueue_ReleasesThemAndReturnsEverything()
    {
        using var pool = UpDownPool.CreateThreaded<string, int>(UpDownOptions.Default.WithCapacity(2));
        for (var i = 0; i < 3; i++)
        {
            pool.Execute(w =>
            {
                w.Send(-1);
                for (var n = 0; n < 100; n++)
                {
                    w.Send(n);
                }

                w.Run(_ => { });
            });
        }

        // Nobody reads: two sends fit, then every worker parks on its next send.
        Assert.True(SpinWait.SpinUntil(() => pool.Queue.Parked == 3, Watchdog));
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal(3 * 101, report.Messages.Count);
        Assert.Empty(report.Failures);
        Assert.True(pool.Queue.Peak <= 2);
        foreach (var group in report.Messages.GroupBy(m => m.Worker))
        {
            Assert.Equal(Enumerable.Range(-1, 101), group.Select(m => m.Value));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_YieldsTheRemainingMessages_WhileReleasingBlockedSenders()
    {
        using var pool = UpDownPool.CreateThreaded<string, int>(UpDownOptions.Default.WithCapacity(1));
        pool.Execute(w =>
        {
            for (var n = 0; n < 50; n++)
            {
                w.Send(n);
            }

            w.Run(_ => { });
        });

        var values = await Task.Run(() => pool.Stop().Select(m => m.Value).ToList()).WaitAsync(Watchdog);

        Assert.Equal(Enumerable.Range(0, 50), values);
    }

    [Fact(Timeout = 60_000)]
    public async Task Flood_ManyWorkersThroughASmallQueue_LosesNothingAndNeverExceedsCapacity()
    {
        const int Workers = 4;
        const int PerWorker = 20_000;
        const int Capacity = 8;
        using var pool = UpDownPool.CreateThreaded<string, int>(UpDownOptions.Default.WithCapacity(Capacity));
        for (var i = 0; i < Workers; i++)
        {
            pool.Execute(w =>
            {
                for (var n = 0; n < PerWorker; n++)
                {
                    w.Send(n);
                }

                w.Run(_ => { });
            });
        }

        var next = new int[Workers];
        var total = 0;
        var burst = new List<UpMessage<int>>();
        while (total < Workers * PerWorker)
        {
            Assert.InRange(pool.UpCount, 0, Capacity);
            burst.Clear();
            if (pool.RecvBurst(burst) == 0)
            {
                burst.Add(await pool.RecvAsync().AsTask().WaitAsync(Watchdog));
            }

            foreach (var m in burst)
            {
                Assert.Equal(next[m.Worker]++, m.Value);
                total++;
            }
        }

        Assert.Equal(Workers * PerWorker, total);
        Assert.All(next, n => Assert.Equal(PerWorker, n));
        Assert.Equal(Capacity, pool.Queue.Peak);
        Assert.Empty((await pool.StopAndJoinAsync().WaitAsync(Watchdog)).Messages);
    }

    [Fact(Timeout = 30_000)]
    public async Task RecvBurst_InALoop_IsNeverLivelockedByFasterProducers()
    {
        const int Workers = 3;
        const int Capacity = 16;
        using var pool = UpDownPool.CreateThreaded<string, long>(UpDownOptions.Default.WithCapacity(Capacity));
        for (var i = 0; i < Workers; i++)
        {
            pool.Execute(w =>
            {
                long n = 0;
                while (!w.IsStopped)
                {
                    w.TryRecv(out _);
                    w.Send(n++);
                }
            });
        }

        var next = new long[Workers];
        var burst = new List<UpMessage<long>>();
        for (var round = 0; round < 2_000; round++)
        {
            burst.Clear();
            pool.RecvBurst(burst);

            // A burst holds what was queued plus at most one parked send per worker: it always ends.
            Assert.InRange(burst.Count, 0, Capacity + Workers);
            foreach (var m in burst)
            {
                Assert.Equal(next[m.Worker]++, m.Value);
            }
        }

        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);
        foreach (var m in report.Messages)
        {
            Assert.Equal(next[m.Worker]++, m.Value);
        }

        Assert.Empty(report.Failures);
    }
}
