using Microsoft.Coyote.Specifications;

namespace Actorpool.Reliability.Tests.Scheduling;

/// <summary>
/// Systematic interleavings of the Chase-Lev deque: one owner pushing and popping, thieves stealing. The
/// property is that every pushed job is taken exactly once (never lost, never run twice).
/// </summary>
public sealed class WorkDequeCoyoteTests
{
    [Fact(Timeout = 60_000)]
    public async Task PopRacingSteal_ForTheLastJob_TakesItExactlyOnce()
    {
        var report = await Task.Run(() => Coyote.Explore(() => OwnerAndThieves(items: 1, thieves: 1, steals: 1), 3_000));
        Coyote.AssertNoBug(report);
    }

    [Fact(Timeout = 60_000)]
    public async Task PushPopAndTwoThieves_OverFewJobs_TakeEachJobExactlyOnce()
    {
        var report = await Task.Run(() => Coyote.Explore(() => OwnerAndThieves(items: 3, thieves: 2, steals: 2), 2_000));
        Coyote.AssertNoBug(report);
    }

    [Fact(Timeout = 60_000)]
    public async Task InterleavedPushAndPop_WithAThief_TakesEachJobExactlyOnce()
    {
        var report = await Task.Run(() => Coyote.Explore(InterleavedOwner, 2_000));
        Coyote.AssertNoBug(report);
    }

    [Fact(Timeout = 60_000)]
    public async Task FullDeque_WrappingAroundWhileAThiefSteals_RefusesPushesAndTakesEachJobExactlyOnce()
    {
        var report = await Task.Run(() => Coyote.Explore(FullAndWrapping, 1_000, maxSteps: 20_000));
        Coyote.AssertNoBug(report);
    }

    [Fact(Timeout = 60_000)]
    public async Task PlantedBug_LastJobTakenWithoutCas_IsFoundByCoyote()
    {
        WorkDeque.PlantedBugSkipLastElementCas = true;
        try
        {
            var report = await Task.Run(() => Coyote.Explore(() => OwnerAndThieves(items: 1, thieves: 1, steals: 1), 3_000));
            Coyote.AssertFindsBug(report, "taken 2 times");
        }
        finally
        {
            WorkDeque.PlantedBugSkipLastElementCas = false;
        }
    }

    private static async Task OwnerAndThieves(int items, int thieves, int steals)
    {
        var deque = new WorkDeque();
        var ledger = new Ledger(items);
        var owner = Task.Run(() =>
        {
            for (var i = 0; i < items; i++)
            {
                Specification.Assert(deque.TryPush(new Item(i)), "Push into a non-full deque failed.");
            }

            while (deque.Pop() is { } job)
            {
                ledger.Take(job);
            }
        });
        var thiefTasks = Enumerable.Range(0, thieves).Select(_ => Task.Run(() =>
        {
            for (var k = 0; k < steals; k++)
            {
                ledger.Take(deque.Steal());
            }
        })).ToList();
        await owner;
        foreach (var thief in thiefTasks)
        {
            await thief; // not Task.WhenAll: Coyote 1.7 does not intercept .NET 10's span overload
        }

        ledger.DrainAndCheck(deque);
    }

    private static async Task InterleavedOwner()
    {
        var deque = new WorkDeque();
        var ledger = new Ledger(4);
        var owner = Task.Run(() =>
        {
            deque.TryPush(new Item(0));
            deque.TryPush(new Item(1));
            ledger.Take(deque.Pop());
            deque.TryPush(new Item(2));
            ledger.Take(deque.Pop());
            deque.TryPush(new Item(3));
            while (deque.Pop() is { } job)
            {
                ledger.Take(job);
            }
        });
        var thief = Task.Run(() =>
        {
            for (var k = 0; k < 3; k++)
            {
                ledger.Take(deque.Steal());
            }
        });
        await owner;
        await thief;
        ledger.DrainAndCheck(deque);
    }

    private static async Task FullAndWrapping()
    {
        const int Extra = 4;
        var deque = new WorkDeque();
        var ledger = new Ledger(WorkDeque.Capacity + Extra);
        for (var i = 0; i < WorkDeque.Capacity; i++)
        {
            Specification.Assert(deque.TryPush(new Item(i)), $"Push {i} of {WorkDeque.Capacity} failed.");
        }

        Specification.Assert(!deque.TryPush(new Item(-1)), "A full deque accepted a push.");
        var thief = Task.Run(() =>
        {
            for (var k = 0; k < Extra + 2; k++)
            {
                ledger.Take(deque.Steal());
            }
        });
        var owner = Task.Run(() =>
        {
            // Each accepted push reuses a slot a thief has just vacated (the index wraps around the buffer).
            var next = WorkDeque.Capacity;
            while (next < WorkDeque.Capacity + Extra)
            {
                if (deque.TryPush(new Item(next)))
                {
                    next++;
                }
                else
                {
                    ledger.Take(deque.Pop()); // full: the owner runs work itself, as the scheduler does
                }
            }
        });
        await owner;
        await thief;
        ledger.DrainAndCheck(deque);
    }

    private sealed class Item(int id) : Job
    {
        internal int Id { get; } = id;

        internal override void Execute(ThreadContext runner)
        {
        }
    }

    /// <summary>Counts how often each job was taken; owner and thieves both report here.</summary>
    private sealed class Ledger(int items)
    {
        private readonly int[] _taken = new int[items];

        internal void Take(Job? job)
        {
            if (job is Item item)
            {
                Interlocked.Increment(ref _taken[item.Id]);
            }
        }

        internal void DrainAndCheck(WorkDeque deque)
        {
            while (deque.Steal() is { } job)
            {
                Take(job);
            }

            for (var i = 0; i < _taken.Length; i++)
            {
                Specification.Assert(_taken[i] == 1, $"Job {i} was taken {_taken[i]} times.");
            }
        }
    }
}
