namespace Actorpool.Core.Tests.Scheduling;

public sealed class WorkDequeTests
{
    [Fact(Timeout = 30_000)]
    public async Task PushPopAndSteal_UnderContention_TakeEveryJobExactlyOnce()
    {
        const int jobs = 400_000;
        var deque = new WorkDeque();
        var taken = new int[jobs];
        var items = Enumerable.Range(0, jobs).Select(i => new Marker(i)).ToArray();
        var stop = 0;
        var thieves = Enumerable.Range(0, 2).Select(_ => Watchdog.Run(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                if (deque.Steal() is Marker m)
                {
                    Interlocked.Increment(ref taken[m.Id]);
                }
            }
        })).ToArray();
        await Watchdog.Run(() =>
        {
            var random = new Random(3);
            var next = 0;
            while (next < jobs)
            {
                // Bursts of pushes, then pops: the owner often races thieves for the last job.
                var burst = random.Next(1, 4);
                for (var k = 0; k < burst && next < jobs; k++)
                {
                    if (deque.TryPush(items[next]))
                    {
                        next++;
                    }
                    else if (deque.Pop() is Marker full)
                    {
                        Interlocked.Increment(ref taken[full.Id]); // full: thieves fell behind
                    }
                }

                for (var k = random.Next(0, burst + 1); k > 0; k--)
                {
                    if (deque.Pop() is Marker m)
                    {
                        Interlocked.Increment(ref taken[m.Id]);
                    }
                }
            }

            while (deque.Pop() is Marker m)
            {
                Interlocked.Increment(ref taken[m.Id]);
            }
        });
        await Watchdog.Run(() =>
        {
            var spinner = default(SpinWait);
            while (deque.LooksNonEmpty)
            {
                spinner.SpinOnce();
            }
        });
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(thieves);
        Assert.All(taken, t => Assert.Equal(1, t));
    }

    [Fact]
    public void TryPush_WhenFull_ReturnsFalse_AndPopIsLastInFirstOut()
    {
        var deque = new WorkDeque();
        for (var i = 0; i < WorkDeque.Capacity; i++)
        {
            Assert.True(deque.TryPush(new Marker(i)));
        }

        Assert.False(deque.TryPush(new Marker(-1)));
        Assert.Equal(WorkDeque.Capacity - 1, ((Marker)deque.Pop()!).Id);
        Assert.Equal(0, ((Marker)deque.Steal()!).Id);
    }

    private sealed class Marker(int id) : Job
    {
        public int Id { get; } = id;

        internal override void Execute(ThreadContext runner)
        {
        }
    }
}
