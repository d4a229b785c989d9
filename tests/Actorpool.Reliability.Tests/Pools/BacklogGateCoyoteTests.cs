using Actorpool.Actors.Pools;
using Actorpool.Reliability.Tests.Scheduling;
using Microsoft.Coyote.Specifications;

namespace Actorpool.Reliability.Tests.Pools;

/// <summary>
/// Systematic interleavings of the backlog's slots: lock-free takes and releases racing waiters that queue under the
/// gate's lock, one of them cancelled while a release comes in. Never more slots held than the bound, never a slot
/// lost (every one is back in the gate at the end) and never a waiter left waiting while a slot is free.
/// </summary>
public sealed class BacklogGateCoyoteTests
{
    [Fact(Timeout = 60_000)]
    public Task TakersAndWaitersRacingReleases_NeverHoldMoreThanTheBound_NorLoseASlot() =>
        Coyote.AssertNoBugAsync(TakersAndWaiters, 1_000);

    [Fact(Timeout = 60_000)]
    public Task WaiterCancelledWhileAReleaseHandsItTheSlot_GivesTheSlotToTheNextWaiter() =>
        Coyote.AssertNoBugAsync(CancelRacingRelease, 1_000);

    [Fact(Timeout = 60_000)]
    public Task PlantedBug_CancelledWaiterKeepsTheSlot_IsFoundByCoyote() =>
        Coyote.AssertFindsPlantedBugAsync(on => BacklogGate.PlantedBugDropCancelledWaitersSlot = on, CancelRacingRelease, 1_000, "Deadlock detected");

    /// <summary>Bound 2: one caller taking without waiting, two waiting (RunAsync on a full backlog); each gives its slot back.</summary>
    private static async Task TakersAndWaiters()
    {
        const int Bound = 2;
        var gate = new BacklogGate(Bound);
        var slots = new Holders(gate, Bound);
        var taker = Task.Run(() =>
        {
            var mine = 0;
            for (var i = 0; i < 2; i++)
            {
                if (gate.TryTake())
                {
                    slots.Hold();
                    mine++;
                }
            }

            for (; mine > 0; mine--)
            {
                slots.GiveBack();
            }
        });
        var waiters = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            await gate.WaitAsync(CancellationToken.None);
            slots.Hold();
            slots.GiveBack();
        })).ToList();
        await taker;
        foreach (var waiter in waiters)
        {
            await waiter; // a waiter never woken while a slot is free is a Coyote deadlock
        }

        slots.AssertAllBack();
    }

    /// <summary>
    /// Bound 1, held by the test: a waiter with a token and one without queue behind it; a release and the token's
    /// cancel race. The first waiter ends with the slot or cancelled holding none; either way the second gets a slot.
    /// </summary>
    private static async Task CancelRacingRelease()
    {
        var gate = new BacklogGate(1);
        Specification.Assert(gate.TryTake(), "The only slot of a fresh gate could not be taken.");
        var slots = new Holders(gate, 1);
        slots.Hold();
        using var cancel = new CancellationTokenSource();
        var first = gate.WaitAsync(cancel.Token);
        var second = gate.WaitAsync(CancellationToken.None);
        var releaser = Task.Run(slots.GiveBack);
        var canceller = Task.Run(cancel.Cancel);
        await releaser;
        await canceller;
        try
        {
            await first;
            slots.Hold();
            slots.GiveBack();
        }
        catch (OperationCanceledException)
        {
            // Cancelled: it holds no slot.
        }

        await second; // the slot a cancelled waiter was handed must reach it, or this is a Coyote deadlock
        slots.Hold();
        slots.GiveBack();
        slots.AssertAllBack();
    }

    /// <summary>Counts the slots callers hold; at most the bound at any time, and all back in the gate at the end.</summary>
    private sealed class Holders(BacklogGate gate, int bound)
    {
        private int _held;

        internal void Hold()
        {
            var held = Interlocked.Increment(ref _held);
            Specification.Assert(held <= bound, $"{held} slots held at once, bound {bound}.");
            var free = gate.Free;
            Specification.Assert(free >= 0 && free <= bound, $"{free} slots free, bound {bound}.");
        }

        internal void GiveBack()
        {
            Interlocked.Decrement(ref _held);
            gate.Release();
        }

        internal void AssertAllBack() =>
            Specification.Assert(_held == 0 && gate.Free == bound, $"{gate.Free} of {bound} slots free at the end ({_held} held).");
    }
}
