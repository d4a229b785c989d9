using Actorpool.Actors.Messaging;

namespace Actorpool.Actors.Tests.Messaging;

public class UpDownEdgeTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 30_000)]
    public async Task Dispose_WhileWorkersAreBlockedOnAFullQueue_ReturnsWithoutDeadlock()
    {
        var pool = UpDownPool.CreateThreaded<string, int>(UpDownOptions.Default.WithCapacity(1));
        for (var i = 0; i < 2; i++)
        {
            pool.Execute(w =>
            {
                for (var n = 0; n < 1_000; n++)
                {
                    w.Send(n);
                }

                w.Run(_ => { });
            });
        }

        Assert.True(SpinWait.SpinUntil(() => pool.Queue.Parked == 2, Watchdog));
        await Task.Run(pool.Dispose).WaitAsync(Watchdog);

        Assert.Equal(0, pool.Queue.Live);
        Assert.Throws<ObjectDisposedException>(() => pool.Execute(_ => { }));
    }

    [Fact(Timeout = 30_000)]
    public async Task TrySendUp_FromAnActorWorker_ReturnsFalseAtOnceWhenFull()
    {
        await using var pool = Sys.SpawnUpDownPool<string, string>(UpDownOptions.Default.WithCapacity(2));
        var tried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.AddWorker((message, up) =>
        {
            var accepted = Enumerable.Range(0, 3).Count(i => up.TrySendUp($"{message}{i}"));
            tried.SetResult();
            return up.SendUpAsync($"accepted {accepted}");
        });

        pool.SendTo(0, "m");

        // Receive only after all three tries, so that no receive makes room for the third one.
        await tried.Task.WaitAsync(Watchdog);
        var values = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            values.Add((await pool.RecvAsync().AsTask().WaitAsync(Watchdog)).Value);
        }

        Assert.Equal(["m0", "m1", "accepted 2"], values);
    }

    [Fact(Timeout = 30_000)]
    public async Task RecvAsync_WhenCancelled_ThrowsAndTakesNothing()
    {
        using var pool = UpDownPool.CreateThreaded<string, string>();
        using var cancel = new CancellationTokenSource();

        var pending = pool.RecvAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Watchdog));
        Assert.Equal(0, pool.UpCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stop_WhileAnotherStopIsRunning_IsRejected()
    {
        using var pool = UpDownPool.CreateThreaded<string, int>(UpDownOptions.Default.WithCapacity(1));
        var release = new ManualResetEventSlim();
        pool.Execute(w =>
        {
            release.Wait();
            w.Run(_ => { });
        });

        var first = pool.StopAndJoinAsync();
        Assert.Throws<InvalidOperationException>(() => pool.StopAndJoin());
        Assert.Throws<InvalidOperationException>(() => pool.Execute(_ => { }));
        release.Set();
        await first.WaitAsync(Watchdog);
        release.Dispose();
    }
}
