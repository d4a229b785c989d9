using System.Diagnostics;
using Actorpool.Actors.Metrics;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// The bounded up-queue shared by a pool's workers (producers) and its manager (consumer): a ring of
/// <c>capacity</c> slots, a FIFO of senders waiting for a slot, and one signal for a waiting reader. Every
/// field is guarded by <see cref="_gate"/>; completions (senders, reader) run outside it and asynchronously,
/// so neither side ever runs the other's continuation while holding the lock. The lock is a type argument: pools
/// use <see cref="LockGate"/> (System.Threading.Lock); the Coyote tests use <see cref="MonitorGate"/>, the kind of
/// lock Coyote 1.7 controls (Monitor cost the up/down burst 13-28% here, measured against Lock).
/// </summary>
internal partial class UpQueue<T, TGate>
    where TGate : struct, IQueueGate<TGate>
{
    private readonly TGate _gate = TGate.Create();
    private readonly UpMessage<T>[] _ring;            // slots; [_head, _head + _count) are queued
    private readonly Queue<UpSendWaiter<T>> _senders = new(); // waiting for a slot; only non-empty while the ring is full
    private int _head;                                // next slot to take; written by takers under _gate
    private int _count;                               // queued messages; written under _gate, read racily by Count
    private int _peak;                                // highest _count ever seen; a probe for tests
    private int _live;                                // workers started and not yet ended
    private TaskCompletionSource? _signal;            // a reader waits for a message or a worker end
    private ManualResetEventSlim? _readable;         // blocking readers (Recv) wait on it; made by the first, under _gate
    private int _blockedReaders;                      // readers in WaitReadable; under _gate

    public UpQueue(int capacity) => _ring = new UpMessage<T>[capacity];

    /// <summary>
    /// The counters of a hosted pool (up messages as jobs: submitted when one enters the ring, completed when it is
    /// taken out); <c>null</c> = not measured. Set once, before any worker starts.
    /// </summary>
    public PoolCounters? Counters { get; set; }

    /// <summary>Test-only: a burst (<see cref="Take"/>) frees slots without moving parked senders into them (a stuck-sender bug).</summary>
    internal static bool PlantedBugSkipRefill;

    public int Capacity => _ring.Length;

    /// <summary>Messages queued now (a racy snapshot: good for probes and progress, not for decisions).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The most messages ever queued at once; never above <see cref="Capacity"/>.</summary>
    public int Peak
    {
        get
        {
            _gate.Enter();
            try
            {
                AssertInvariants();
                return _peak;
            }
            finally
            {
                _gate.Exit();
            }
        }
    }

    /// <summary>Senders parked on a full queue right now.</summary>
    public int Parked
    {
        get
        {
            _gate.Enter();
            try
            {
                AssertInvariants();
                return _senders.Count;
            }
            finally
            {
                _gate.Exit();
            }
        }
    }

    /// <summary>Workers started and not yet ended.</summary>
    public int Live
    {
        get
        {
            _gate.Enter();
            try
            {
                AssertInvariants();
                return _live;
            }
            finally
            {
                _gate.Exit();
            }
        }
    }

    /// <summary>Queues <paramref name="message"/> when a slot is free and nobody waits ahead of it.</summary>
    public bool TryEnqueue(in UpMessage<T> message)
    {
        TaskCompletionSource? signal;
        bool wake;
        _gate.Enter();
        try
        {
            AssertInvariants();
            if (_count == _ring.Length || _senders.Count > 0)
            {
                return false;
            }

            Put(message);
            signal = TakeSignal();
            wake = _blockedReaders > 0;
        }
        finally
        {
            _gate.Exit();
        }

        Wake(signal, wake);
        return true;
    }

    /// <summary>
    /// Queues <paramref name="message"/>, or parks it behind the senders already waiting; the returned task
    /// completes when a taker has moved it into a freed slot. Parked messages are never dropped.
    /// </summary>
    public ValueTask EnqueueAsync(in UpMessage<T> message) => EnqueueAsync(message, null);

    /// <summary>Like <see cref="EnqueueAsync(in UpMessage{T})"/>, parking with <paramref name="waiter"/> when it is free
    /// (no allocation) or with a fresh waiter when it is not.</summary>
    public ValueTask EnqueueAsync(in UpMessage<T> message, UpSendWaiter<T>? waiter)
    {
        var parked = Park(message, waiter, blocking: false);
        return parked is null ? default : parked.Task;
    }

    /// <summary>Queues <paramref name="message"/>, blocking the calling thread while it is parked behind a full queue.</summary>
    public void Enqueue(in UpMessage<T> message, UpSendWaiter<T>? waiter) => Park(message, waiter, blocking: true)?.Wait();

    private UpSendWaiter<T>? Park(in UpMessage<T> message, UpSendWaiter<T>? waiter, bool blocking)
    {
        TaskCompletionSource? signal;
        bool wake;
        _gate.Enter();
        try
        {
            AssertInvariants();
            if (_count == _ring.Length || _senders.Count > 0)
            {
                if (waiter is null || !waiter.TryArm(message, blocking))
                {
                    waiter = new UpSendWaiter<T>();
                    waiter.TryArm(message, blocking);
                }

                _senders.Enqueue(waiter);
                return waiter;
            }

            Put(message);
            signal = TakeSignal();
            wake = _blockedReaders > 0;
        }
        finally
        {
            _gate.Exit();
        }

        Wake(signal, wake);
        return null;
    }

    /// <summary>
    /// Takes, in arrival order, up to <paramref name="max"/> messages stamped at or before <paramref name="cutoff"/>;
    /// the first message stamped later stays at the head. Each freed slot is refilled at once from the waiting
    /// senders, whose messages carry their (earlier) send stamps, so the burst stays bounded: no sender can add a
    /// message while the lock is held, and every new send is stamped after the cutoff was read.
    /// </summary>
    public int Take(long cutoff, int max, ICollection<UpMessage<T>> into)
    {
        UpSendWaiter<T>? released = null, last = null;
        var taken = 0;
        _gate.Enter();
        try
        {
            AssertInvariants();
            while (taken < max && _count > 0 && _ring[_head].Timestamp <= cutoff)
            {
                into.Add(_ring[_head]);
                _ring[_head] = default;
                _head = _head + 1 == _ring.Length ? 0 : _head + 1;
                _count--;
                taken++;
                Counters?.AddCompleted();
                if (_senders.Count > 0 && !PlantedBugSkipRefill)
                {
                    var next = _senders.Dequeue();
                    Put(next.Message);
                    if (last is null)
                    {
                        released = next;
                    }
                    else
                    {
                        last.NextReleased = next;
                    }

                    last = next;
                }
            }
        }
        finally
        {
            _gate.Exit();
        }

        while (released is not null)
        {
            var next = released.NextReleased;
            released.NextReleased = null;
            released.Release();
            released = next;
        }

        return taken;
    }

    /// <summary>Takes the oldest message, whatever its stamp, refilling its slot from the waiting senders.</summary>
    public bool TryTake(out UpMessage<T> message)
    {
        UpSendWaiter<T>? released = null;
        _gate.Enter();
        try
        {
            AssertInvariants();
            if (_count == 0)
            {
                message = default;
                return false;
            }

            message = _ring[_head];
            _ring[_head] = default;
            _head = _head + 1 == _ring.Length ? 0 : _head + 1;
            _count--;
            Counters?.AddCompleted();
            if (_senders.Count > 0)
            {
                released = _senders.Dequeue();
                Put(released.Message);
            }
        }
        finally
        {
            _gate.Exit();
        }

        released?.Release();
        return true;
    }

    private void Put(in UpMessage<T> message)
    {
        var tail = _head + _count;
        _ring[tail >= _ring.Length ? tail - _ring.Length : tail] = message;
        _count++;
        Counters?.AddSubmitted();
        if (_count > _peak)
        {
            _peak = _count;
        }
    }

    /// <summary>Checked on entering the lock (as System.Threading.Channels does): what every holder of the lock leaves true.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_count >= 0 && _count <= _ring.Length, "count within capacity");
        Debug.Assert(_head >= 0 && _head < _ring.Length, "head within the ring");
        Debug.Assert(_peak >= _count && _peak <= _ring.Length, "peak between count and capacity");
        Debug.Assert(_senders.Count == 0 || _count == _ring.Length, "senders wait only while the ring is full");
        Debug.Assert(_signal is null || _count == 0, "a reader waits only while nothing is queued");
        Debug.Assert(_live >= 0 && _blockedReaders >= 0, "no negative count of workers or blocked readers");
        Debug.Assert(_blockedReaders == 0 || _readable is not null, "a blocked reader has its event");
    }
}

/// <summary>The up-queue pools use: guarded by a <see cref="System.Threading.Lock"/>.</summary>
internal sealed class UpQueue<T>(int capacity) : UpQueue<T, LockGate>(capacity);
