namespace Actorpool.Actors.Messaging;

/// <summary>
/// The unbounded down-queue of one thread-style worker: any thread adds, the worker's own thread takes, blocking
/// while it is empty. Guarded by its own monitor.
/// </summary>
internal sealed class DownQueue
{
    private readonly Queue<object> _items = new();

    public void Add(object item)
    {
        lock (_items)
        {
            _items.Enqueue(item);
            if (_items.Count == 1)
            {
                Monitor.Pulse(_items); // only the owning thread ever waits, so one pulse is enough
            }
        }
    }

    public object Take()
    {
        lock (_items)
        {
            while (_items.Count == 0)
            {
                Monitor.Wait(_items);
            }

            return _items.Dequeue();
        }
    }

    public bool TryTake(out object? item)
    {
        lock (_items)
        {
            return _items.TryDequeue(out item);
        }
    }
}
