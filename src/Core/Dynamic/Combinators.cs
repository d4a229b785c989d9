namespace Actorpool.Dynamic;

/// <summary>The work part behind <see cref="DynamicSystem.FunctionWorker"/>: the data is the worker's closure.</summary>
internal sealed class FunctionWork(Func<int, Func<Decision>> factory) : IDynamicWork<Func<Decision>>
{
    public Func<Decision> Init(int index) =>
        factory(index) ?? throw new InvalidOperationException($"The worker factory returned null for worker {index}.");

    public Decision Work(ref Func<Decision> data) => data();
}

/// <summary>A work part joined with a scale function.</summary>
internal sealed class FunctionScaledSystem<TData>(IDynamicWork<TData> work, Func<Scale> scale) : IDynamicSystem<TData>
{
    public Scale GetScale() => scale();

    public TData Init(int index) => work.Init(index);

    public Decision Work(ref TData data) => work.Work(ref data);

    public void Close(TData data) => work.Close(data);
}

/// <summary>Answers Shutdown once the deadline has passed since construction, the inner scale before that.</summary>
internal sealed class ShutdownAfterSystem<TData>(IDynamicSystem<TData> inner, TimeSpan deadline, TimeProvider time)
    : IDynamicSystem<TData>
{
    private readonly long _start = time.GetTimestamp();

    // Latched once the deadline has passed (benign race: every writer writes true).
    private volatile bool _expired;

    public Scale GetScale()
    {
        if (_expired || time.GetElapsedTime(_start) >= deadline)
        {
            _expired = true;
            return Scale.Shutdown;
        }

        return inner.GetScale();
    }

    public TData Init(int index) => inner.Init(index);

    public Decision Work(ref TData data) => inner.Work(ref data);

    public void Close(TData data) => inner.Close(data);
}

/// <summary>Calls the inner scale at most once per period; the answer and its time are swapped in as one object.</summary>
internal sealed class CachedScaleSystem<TData>(IDynamicSystem<TData> inner, TimeSpan period, TimeProvider time)
    : IDynamicSystem<TData>
{
    // Serialises refreshes so two threads that both see an expired entry call the inner scale only once.
    private readonly Lock _refresh = new();

    // Written under _refresh, read without it: the reference swap publishes Scale and Stamp together.
    private volatile Entry? _entry;

    public Scale GetScale()
    {
        var entry = _entry;
        if (entry is not null && time.GetElapsedTime(entry.Stamp) < period)
        {
            return entry.Scale;
        }

        lock (_refresh)
        {
            entry = _entry;
            if (entry is not null && time.GetElapsedTime(entry.Stamp) < period)
            {
                return entry.Scale;
            }

            var stamp = time.GetTimestamp();
            var scale = inner.GetScale();
            _entry = new Entry(scale, stamp);
            return scale;
        }
    }

    public TData Init(int index) => inner.Init(index);

    public Decision Work(ref TData data) => inner.Work(ref data);

    public void Close(TData data) => inner.Close(data);

    private sealed record Entry(Scale Scale, long Stamp);
}
