namespace Actorpool.Actors.Jobs;

/// <summary>A growable ring-buffer deque of jobs: submissions at the back, returned jobs at the front (supervisor only).</summary>
internal sealed class JobQueue
{
    // Struct slots: storing into them needs no array covariance check (a JobEnvelope?[] store does).
    private Slot[] _items = new Slot[16];
    private int _head;

    public int Count { get; private set; }

    public void AddLast(JobEnvelope job)
    {
        Grow();
        _items[(_head + Count) & (_items.Length - 1)].Job = job;
        Count++;
    }

    public void AddFirst(JobEnvelope job)
    {
        Grow();
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head].Job = job;
        Count++;
    }

    public JobEnvelope PeekFirst() => Count == 0 ? throw new InvalidOperationException("The queue is empty.") : _items[_head].Job!;

    public JobEnvelope RemoveFirst()
    {
        var job = PeekFirst();
        _items[_head].Job = null;
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return job;
    }

    private void Grow()
    {
        if (Count < _items.Length)
        {
            return;
        }

        var bigger = new Slot[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            bigger[i] = _items[(_head + i) & (_items.Length - 1)];
        }

        _items = bigger;
        _head = 0;
    }

    private struct Slot
    {
        public JobEnvelope? Job;
    }
}
