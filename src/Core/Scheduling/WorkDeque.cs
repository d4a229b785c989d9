using System.Runtime.InteropServices;

namespace Actorpool;

/// <summary>
/// A fixed-capacity Chase-Lev deque of foreground jobs. The owning thread pushes and pops at the bottom
/// (LIFO); any thread steals at the top (FIFO). <see cref="TryPush"/> fails when full, and the caller then
/// runs the job inline, so the buffer never grows and a slot is never reused while a thief may read it.
/// </summary>
internal sealed class WorkDeque
{
    internal const int Capacity = 1024;
    private const int Mask = Capacity - 1;

    /// <summary>Test-only: takes the last job with a plain write instead of the CAS, so reliability tests can prove they catch it.</summary>
    internal static bool PlantedBugSkipLastElementCas;

    // Top is written by thieves (CAS) and by the owner's last-item CAS; Bottom only by the owner.
    // They live on separate cache lines so thieves polling Top do not slow the owner's pushes.
    private Indices _ix;

    // Slots are written only by the owner, before the Bottom store that publishes them. A struct wrapper
    // keeps array stores free of the covariance check a Job?[] would pay.
    private readonly Slot[] _slots = new Slot[Capacity];

    /// <summary>Owner only. False when the deque is full.</summary>
    internal bool TryPush(Job job)
    {
        var b = _ix.Bottom;
        var t = Volatile.Read(ref _ix.Top);
        if (b - t >= Capacity)
        {
            return false;
        }

        _slots[b & Mask].Job = job;

        // Release: the slot write above is visible before a thief sees the new Bottom.
        Volatile.Write(ref _ix.Bottom, b + 1);
        return true;
    }

    /// <summary>Owner only. The most recently pushed job, or null when empty or the last job was stolen.</summary>
    internal Job? Pop()
    {
        // Cheap exit for the idle worker's loop: Top only grows, so a deque that looks empty is empty.
        if (_ix.Bottom <= Volatile.Read(ref _ix.Top))
        {
            return null;
        }

        var b = _ix.Bottom - 1;

        // Full fence: the Bottom store must be visible before Top is read, pairing with the thief's
        // fence between its Top and Bottom reads; otherwise both could take the last job.
        Interlocked.Exchange(ref _ix.Bottom, b);
        var t = Volatile.Read(ref _ix.Top);
        if (t > b)
        {
            Volatile.Write(ref _ix.Bottom, b + 1);
            return null;
        }

        var job = _slots[b & Mask].Job;
        if (t < b)
        {
            return job;
        }

        // One job left: race the thieves for it through Top.
        if (PlantedBugSkipLastElementCas)
        {
            Volatile.Write(ref _ix.Top, t + 1);
        }
        else if (Interlocked.CompareExchange(ref _ix.Top, t + 1, t) != t)
        {
            job = null;
        }

        Volatile.Write(ref _ix.Bottom, b + 1);
        return job;
    }

    /// <summary>Any thread. The oldest job, or null when empty or another thread won the race.</summary>
    internal Job? Steal()
    {
        var t = Volatile.Read(ref _ix.Top);
        if (t >= Volatile.Read(ref _ix.Bottom))
        {
            return null; // cheap unfenced emptiness check; a false "empty" only delays a steal
        }

        Interlocked.MemoryBarrier(); // pairs with the fence in Pop
        var b = Volatile.Read(ref _ix.Bottom);
        if (t >= b)
        {
            return null;
        }

        var job = Volatile.Read(ref _slots[t & Mask].Job);
        return Interlocked.CompareExchange(ref _ix.Top, t + 1, t) == t ? job : null;
    }

    /// <summary>
    /// Owner only: true when the deque still holds a job thieves can take. A racy read of Top: a stale value
    /// only makes the owner offer its next job a little later.
    /// </summary>
    internal bool HasStealable => _ix.Bottom > Volatile.Read(ref _ix.Top);

    /// <summary>Any thread; a racy hint used by idle workers before they sleep.</summary>
    internal bool LooksNonEmpty => Volatile.Read(ref _ix.Top) < Volatile.Read(ref _ix.Bottom);

    private struct Slot
    {
        public Job? Job;
    }

    [StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
    private struct Indices
    {
        private const int CacheLine = 128; // two lines: adjacent-line prefetch pulls pairs on x64

        [FieldOffset(CacheLine)]
        public long Top;

        [FieldOffset(2 * CacheLine)]
        public long Bottom;
    }
}
