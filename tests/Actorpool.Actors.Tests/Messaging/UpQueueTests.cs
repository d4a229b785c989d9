using Actorpool.Actors.Messaging;

namespace Actorpool.Actors.Tests.Messaging;

public class UpQueueTests
{
    private static UpMessage<int> At(long stamp, int value = 0) => new(value, 0, stamp);

    [Fact]
    public void Take_StopsAtTheFirstMessageStampedAfterTheCutoff_AndKeepsItFirst()
    {
        var queue = new UpQueue<int>(8);
        Assert.True(queue.TryEnqueue(At(1, 10)));
        Assert.True(queue.TryEnqueue(At(5, 11)));
        Assert.True(queue.TryEnqueue(At(2, 12)));

        var first = new List<UpMessage<int>>();
        Assert.Equal(1, queue.Take(3, int.MaxValue, first));
        Assert.Equal([10], first.Select(m => m.Value));

        var second = new List<UpMessage<int>>();
        Assert.Equal(2, queue.Take(5, int.MaxValue, second));
        Assert.Equal([11, 12], second.Select(m => m.Value));
    }

    [Fact]
    public void Take_IncludesMessagesStampedExactlyAtTheCutoff()
    {
        var queue = new UpQueue<int>(4);
        queue.TryEnqueue(At(7, 1));
        var burst = new List<UpMessage<int>>();

        Assert.Equal(1, queue.Take(7, int.MaxValue, burst));
    }

    [Fact(Timeout = 30_000)]
    public async Task EnqueueAsync_WhenFull_ParksTheMessageUntilATakeFreesASlot()
    {
        var queue = new UpQueue<int>(2);
        await queue.EnqueueAsync(At(1, 1));
        await queue.EnqueueAsync(At(2, 2));
        var parked = queue.EnqueueAsync(At(3, 3));
        Assert.False(parked.IsCompleted);
        Assert.False(queue.TryEnqueue(At(4, 4)));

        Assert.True(queue.TryTake(out var first));
        await parked.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, first.Value);
        Assert.Equal(2, queue.Count);
        Assert.Equal(2, queue.Peak);
        var rest = new List<UpMessage<int>>();
        queue.Take(long.MaxValue, int.MaxValue, rest);
        Assert.Equal([2, 3], rest.Select(m => m.Value));
    }

    [Fact]
    public void Take_RefillsFromParkedSenders_SoTheirEarlierStampsJoinTheSameBurst()
    {
        var queue = new UpQueue<int>(1);
        queue.TryEnqueue(At(1, 1));
        var parked = queue.EnqueueAsync(At(2, 2));
        var burst = new List<UpMessage<int>>();

        Assert.Equal(2, queue.Take(2, int.MaxValue, burst));
        Assert.True(parked.IsCompleted);
        Assert.Equal(0, queue.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task EnqueueAsync_WithAWaiterStillParked_ParksAFreshOneBehindIt_AndReusesTheWaiterOnceAwaited()
    {
        var queue = new UpQueue<int>(1);
        var waiter = new UpSendWaiter<int>();
        queue.TryEnqueue(At(1, 1));
        var first = queue.EnqueueAsync(At(2, 2), waiter);
        var second = queue.EnqueueAsync(At(3, 3), waiter);
        Assert.Equal(2, queue.Parked);

        var burst = new List<UpMessage<int>>();
        Assert.Equal(1, queue.Take(long.MaxValue, 1, burst));
        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);
        await first;
        Assert.Equal(1, queue.Take(long.MaxValue, 1, burst));
        await second.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var third = queue.EnqueueAsync(At(4, 4), waiter);
        Assert.False(third.IsCompleted);
        Assert.Equal(1, queue.Take(long.MaxValue, 1, burst));
        await third.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, queue.Take(long.MaxValue, 1, burst));
        Assert.Equal([1, 2, 3, 4], burst.Select(m => m.Value));
    }

    [Fact(Timeout = 30_000)]
    public async Task Enqueue_FromABlockedThreadReusingOneWaiter_DeliversEveryMessageInOrder()
    {
        const int Messages = 2_000;
        var queue = new UpQueue<int>(1);
        var waiter = new UpSendWaiter<int>();
        var sender = Task.Factory.StartNew(
            () =>
            {
                for (var i = 0; i < Messages; i++)
                {
                    queue.Enqueue(At(i, i), waiter);
                }
            },
            TaskCreationOptions.LongRunning);

        using var watchdog = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new List<UpMessage<int>>();
        while (received.Count < Messages)
        {
            queue.WaitReadable(watchdog.Token);
            queue.Take(long.MaxValue, int.MaxValue, received);
        }

        await sender.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, Messages), received.Select(m => m.Value));
        Assert.Equal(1, queue.Peak);
    }
}
