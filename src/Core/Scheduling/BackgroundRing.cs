using System.Runtime.InteropServices;

namespace Actorpool;

/// <summary>
/// A worker's small FIFO of background items taken from the shared queue in one burst: the owner refills it
/// only when it is empty, and the owner and idle thieves take from its front with a CAS. Draining the shared
/// queue in bursts keeps two consumers from trading its head cache line on every item; thieves keep an item
/// from waiting behind a long one while another worker idles.
/// </summary>
internal sealed class BackgroundRing
{
    internal const int Capacity = 64;
    private const int Mask = Capacity - 1;

    // Slots are written only by the owner, before the Bottom store that publishes them. A slot is rewritten
    // only once Top has passed it, so a taker whose CAS on Top succeeds read the item that was published there.
    private readonly Slot[] _slots = new Slot[Capacity];
    private Indices _ix;
    private long _cleared; // owner only: slots below this index hold no item

    /// <summary>Owner only. False when the ring is full.</summary>
    internal bool TryPush(object item)
    {
        var b = _ix.Bottom;
        if (b - Volatile.Read(ref _ix.Top) >= Capacity)
        {
            return false;
        }

        _slots[b & Mask].Item = item;
        Volatile.Write(ref _ix.Bottom, b + 1); // release: the slot is visible before the new Bottom
        return true;
    }

    /// <summary>Any thread. The oldest item, or null when the ring is empty.</summary>
    internal object? TryTake()
    {
        while (true)
        {
            var t = Volatile.Read(ref _ix.Top);
            if (t >= Volatile.Read(ref _ix.Bottom))
            {
                return null;
            }

            var item = Volatile.Read(ref _slots[t & Mask].Item);
            if (Interlocked.CompareExchange(ref _ix.Top, t + 1, t) == t)
            {
                return item;
            }
        }
    }

    /// <summary>
    /// Thief, with its own ring <paramref name="into"/> empty: moves the older half of this ring (at least one
    /// item) with one CAS, returns the oldest and leaves the rest in <paramref name="into"/>; null when empty.
    /// </summary>
    internal object? StealHalfInto(BackgroundRing into)
    {
        while (true)
        {
            var t = Volatile.Read(ref _ix.Top);
            var n = Volatile.Read(ref _ix.Bottom) - t;
            if (n <= 0)
            {
                return null;
            }

            // Stage the items past the thief's own Bottom (unpublished, so nobody reads them yet), then claim
            // them: if the CAS fails, the staged slots are simply overwritten by the next attempt.
            var k = (int)Math.Min((n + 1) / 2, Capacity);
            var first = Volatile.Read(ref _slots[t & Mask].Item);
            var b = into._ix.Bottom;
            for (var i = 1; i < k; i++)
            {
                into._slots[(b + i - 1) & Mask].Item = Volatile.Read(ref _slots[(t + i) & Mask].Item);
            }

            if (Interlocked.CompareExchange(ref _ix.Top, t + k, t) == t)
            {
                Volatile.Write(ref into._ix.Bottom, b + k - 1);
                return first;
            }
        }
    }

    /// <summary>
    /// Owner only: clears the slots of items already taken, so a finished item is not kept alive by the ring.
    /// Safe against a late taker still holding an old Top: its CAS fails whatever it read.
    /// </summary>
    internal void ForgetTaken()
    {
        var top = Volatile.Read(ref _ix.Top);
        var from = Math.Max(_cleared, top - Capacity);
        for (var i = from; i < top; i++)
        {
            _slots[i & Mask].Item = null;
        }

        _cleared = top;
    }

    /// <summary>Any thread; a racy hint used by idle workers before they sleep and by thieves.</summary>
    internal bool LooksNonEmpty => Volatile.Read(ref _ix.Top) < Volatile.Read(ref _ix.Bottom);

    private struct Slot
    {
        public object? Item;
    }

    [StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
    private struct Indices
    {
        private const int CacheLine = 128;

        [FieldOffset(CacheLine)]
        public long Top;

        [FieldOffset(2 * CacheLine)]
        public long Bottom;
    }
}
