namespace Actorpool.Core.Tests.Scheduling;

/// <summary>The stolen-frame handshake between a thief and an owner that sleeps waiting for it.</summary>
public sealed class JoinFrameTests
{
    [Fact]
    public void WakeSleepingOwner_WhileTheOwnerSleepsOnTheFrame_SetsItsParkerAndKeepsTheAnnouncement()
    {
        using var pool = Watchdog.Pool(1);
        var owner = new CountingParker();
        var thief = new ThreadContext(pool, 0, isWorker: false, new CountingParker());
        var frame = JoinFrame<Probe>.Rent(thief);
        frame.Work = new Probe { Thief = thief, OnRun = f => f.WakeSleepingOwner() };
        Assert.True(frame.AnnounceSleep(owner));

        frame.Execute(thief);

        // One Set for the push inside Run, one for completion; the announcement survived the first.
        Assert.Equal(2, owner.Sets);
        Assert.True(frame.IsDone);
        Assert.Same(frame, frame.Work.SeenRunning);
        Assert.Null(thief.RunningStolen); // restored after the frame ran
    }

    [Fact]
    public void WakeSleepingOwner_ForAnOwnerThatOnlyWaits_SetsItsParkerOnlyOnCompletion()
    {
        using var pool = Watchdog.Pool(1);
        var owner = new CountingParker();
        var thief = new ThreadContext(pool, 0, isWorker: false, new CountingParker());
        var frame = JoinFrame<Probe>.Rent(thief);
        frame.Work = new Probe { Thief = thief, OnRun = f => f.WakeSleepingOwner() };
        frame.OwnerWaitsOnly = true; // a handed-off external Join: its caller blocks and never helps
        Assert.True(frame.AnnounceSleep(owner));

        frame.Execute(thief);

        Assert.Equal(1, owner.Sets);
        frame.Return(thief);
        Assert.False(frame.OwnerWaitsOnly); // a reused frame helps again by default
    }

    [Fact]
    public void WakeSleepingOwner_WhenNoOwnerSleeps_SetsNothing()
    {
        using var pool = Watchdog.Pool(1);
        var thief = new ThreadContext(pool, 0, isWorker: false, new CountingParker());
        var frame = JoinFrame<Probe>.Rent(thief);
        frame.Work = new Probe { Thief = thief, OnRun = f => f.WakeSleepingOwner() };

        frame.Execute(thief);
        frame.WakeSleepingOwner(); // after completion: the signal is "done", not a parker

        var late = new CountingParker();
        Assert.False(frame.AnnounceSleep(late));
        Assert.Equal(0, late.Sets);
    }

    [Fact(Timeout = 30_000)]
    public async Task Join_OnAThiefRunningAStolenFrame_TheOwnerSleepingOnItRunsTheNewHalf()
    {
        // One worker and a free core: the external caller runs the left half and waits for the stolen right one.
        using var pool = Watchdog.Pool(1);
        string? rightOfInner = null;
        using var rightStarted = new ManualResetEventSlim();
        await Watchdog.Run(() => pool.Join(
            () => Assert.True(rightStarted.Wait(Watchdog.Limit)),
            () =>
            {
                rightStarted.Set();
                Thread.Sleep(20); // the caller has given up spinning and sleeps on the frame
                pool.Join(
                    () => SpinUntil(() => Volatile.Read(ref rightOfInner) is not null),
                    () => rightOfInner = Thread.CurrentThread.Name);
            }));
        Assert.Equal("test-external", rightOfInner); // the worker is busy in the left half: only the caller can run it
    }

    private static void SpinUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Watchdog.Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the sleeping owner never took the new half");
            Thread.Yield();
        }
    }

    private struct Probe : IJob
    {
        public ThreadContext Thief;
        public Action<Job> OnRun;
        public Job? SeenRunning;

        public void Run()
        {
            SeenRunning = Thief.RunningStolen;
            OnRun(SeenRunning!);
        }
    }

    private sealed class CountingParker : IParker
    {
        public int Sets;

        public void Wait()
        {
        }

        public bool Wait(TimeSpan timeout) => false;

        public void Set() => Interlocked.Increment(ref Sets);
    }
}
