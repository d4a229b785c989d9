using Actorpool.Actors.Messaging;

namespace Actorpool.Actors.Tests.Messaging;

public class ActorUpDownPoolSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    private ActorUpDownPool<string, string> EchoPool(int workers, UpDownOptions? options = null)
    {
        var pool = Sys.SpawnUpDownPool<string, string>(options);
        for (var i = 0; i < workers; i++)
        {
            pool.AddWorker((message, up) => up.SendUpAsync($"{message}@{up.Index}"));
        }

        return pool;
    }

    [Fact(Timeout = 60_000)]
    public async Task StopRightAfterASend_ToWorkersThatHaveNotRunYet_StillHandlesWhatWasSentFirst()
    {
        // Stop sent right after a message can reach a new worker before it has built its state (its InitNow is queued
        // when it first runs, behind both); the message it held for its state must not be dropped by that Stop.
        for (var round = 0; round < 20; round++)
        {
            await using var pool = EchoPool(8);
            pool.Broadcast("tick");

            var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

            Assert.Empty(report.Failures);
            Assert.Equal(Enumerable.Range(0, 8).Select(i => $"tick@{i}"), report.Messages.Select(m => m.Value).Order());
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task StopRightAfterASend_ToAWorkerWhoseFirstInitThrows_StillEndsTheWorker()
    {
        // The Stop held for the first start must not be lost when that start fails and the worker restarts.
        var inits = 0;
        await using var pool = Sys.SpawnUpDownPool<string, string>();
        pool.AddWorker(
            _ => Interlocked.Increment(ref inits) == 1 ? throw new InvalidOperationException("first init") : 0,
            (int _, string message, UpLink<string> up) => up.SendUpAsync(message));
        pool.Broadcast("tick");

        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal("first init", Assert.Single(report.Failures).Message);
        Assert.True(report.Messages.Count <= 1, $"at most the one tick comes up, got {report.Messages.Count}");
    }

    [Fact(Timeout = 30_000)]
    public async Task SendUpAsync_WhenTheQueueIsFull_SuspendsTheWorkerUntilTheManagerTakes_NeverExceedingCapacity()
    {
        await using var pool = Sys.SpawnUpDownPool<string, int>(UpDownOptions.Default.WithCapacity(4));
        pool.AddWorker(async (string _, UpLink<int> up) =>
        {
            for (var n = 0; n < 100; n++)
            {
                await up.SendUpAsync(n);
            }
        });
        pool.AddWorker((message, up) => up.SendUpAsync(-1));

        pool.SendTo(0, "go");
        AwaitCondition(() => pool.Queue.Parked == 1, Watchdog);
        pool.SendTo(1, "ping");

        var values = new List<int>();
        while (values.Count < 101)
        {
            Assert.InRange(pool.UpCount, 0, 4);
            values.Add((await pool.RecvAsync().AsTask().WaitAsync(Watchdog)).Value);
        }

        Assert.Equal(Enumerable.Range(0, 100), values.Where(v => v >= 0));
        Assert.Equal(4, pool.Queue.Peak);
        Assert.Empty((await pool.StopAndJoinAsync().WaitAsync(Watchdog)).Messages);
    }

    [Fact(Timeout = 30_000)]
    public async Task StopAndJoin_WhenWorkerActorsWaitOnAFullQueue_ReleasesThemAndReturnsEverything()
    {
        await using var pool = Sys.SpawnUpDownPool<string, int>(UpDownOptions.Default.WithCapacity(2));
        for (var i = 0; i < 3; i++)
        {
            pool.AddWorker(async (string _, UpLink<int> up) =>
            {
                for (var n = 0; n < 100; n++)
                {
                    await up.SendUpAsync(n);
                }
            });
        }

        pool.Broadcast("go");
        AwaitCondition(() => pool.Queue.Parked == 3, Watchdog);
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal(300, report.Messages.Count);
        Assert.Empty(report.Failures);
        foreach (var group in report.Messages.GroupBy(m => m.Worker))
        {
            Assert.Equal(Enumerable.Range(0, 100), group.Select(m => m.Value));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task RequestUpBurst_FromAnActorManager_RepliesWithTheBurstAsOneMessage()
    {
        await using var pool = EchoPool(1);
        pool.SendTo(0, "a");
        pool.SendTo(0, "b");
        AwaitCondition(() => pool.UpCount == 2, Watchdog);

        pool.Ref.Tell(RequestUpBurst.Instance, TestActor);
        var burst = ExpectMsg<UpBurst<string>>(Watchdog);

        Assert.Equal(["a@0", "b@0"], burst.Messages.Select(m => m.Value));
        Assert.All(burst.Messages, m => Assert.True(m.Timestamp <= burst.Cutoff));
        Assert.Equal(0, pool.UpCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendToNext_GoesRoundRobinFromWorkerZero()
    {
        await using var pool = EchoPool(3);

        var targets = Enumerable.Range(0, 6).Select(i => pool.SendToNext(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var received = new List<UpMessage<string>>();
        for (var i = 0; i < 6; i++)
        {
            received.Add(await pool.RecvAsync().AsTask().WaitAsync(Watchdog));
        }

        Assert.Equal([0, 1, 2, 0, 1, 2], targets);
        Assert.Equal(["0@0", "1@1", "2@2", "3@0", "4@1", "5@2"], received.Select(m => m.Value).Order(StringComparer.Ordinal));
        Assert.All(received, m => Assert.EndsWith($"@{m.Worker}", m.Value, StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task Pause_StashesDownMessagesUntilContinue_AndStopStillEndsAPausedWorker()
    {
        await using var pool = EchoPool(1);
        pool.Pause();
        pool.SendTo(0, "a");
        pool.SendTo(0, "b");
        pool.Continue();
        pool.SendTo(0, "c");
        var values = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            values.Add((await pool.RecvAsync().AsTask().WaitAsync(Watchdog)).Value);
        }

        pool.Pause(0);
        pool.SendTo(0, "held");
        var report = await pool.StopAndJoinAsync().WaitAsync(Watchdog);

        Assert.Equal(["a@0", "b@0", "c@0"], values);
        Assert.Empty(report.Messages);
    }
}
