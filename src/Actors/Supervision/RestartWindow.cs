namespace Actorpool.Actors.Supervision;

/// <summary>
/// Counts restarts in a sliding window: the one implementation behind every kind of pool's <see cref="RestartBudget"/>
/// (actor pools, actor and thread up/down pools) and the hosted health check. A restart counts while less than the
/// window has elapsed since it was recorded, on the given <see cref="TimeProvider"/> (timestamps, so wall-clock changes
/// do not matter); at exactly the window it has left. Not thread-safe: its owner (an actor, or a lock) serialises calls.
/// </summary>
internal sealed class RestartWindow
{
    private readonly Queue<(long At, long Count)> _recent = new(); // restarts inside the window, oldest first
    private readonly TimeSpan _window;
    private readonly int? _max;
    private readonly TimeProvider _time;
    private long _inside;

    /// <summary>A window for <paramref name="budget"/> (none: every restart is allowed and nothing is kept).</summary>
    public RestartWindow(RestartBudget? budget, TimeProvider time)
        : this(budget?.Window ?? TimeSpan.Zero, budget?.MaxRestarts, time)
    {
    }

    /// <summary>A window of <paramref name="window"/> that allows at most <paramref name="max"/> restarts in it (null: any number).</summary>
    public RestartWindow(TimeSpan window, int? max, TimeProvider time)
    {
        _window = window;
        _max = max;
        _time = time;
    }

    /// <summary>Records one restart; false when it would exceed the budget (the crash loop becomes a Kill). Always true without a budget.</summary>
    public bool TryRecord()
    {
        if (_max is not { } max)
        {
            return true;
        }

        var now = Prune();
        if (_inside >= max)
        {
            return false;
        }

        _recent.Enqueue((now, 1));
        _inside++;
        return true;
    }

    /// <summary>Records <paramref name="count"/> restarts seen now (a sampler of a restart counter); returns the restarts inside the window.</summary>
    public long Record(long count)
    {
        var now = Prune();
        if (count > 0)
        {
            _recent.Enqueue((now, count));
            _inside += count;
        }

        return _inside;
    }

    /// <summary>What a failure costs under <paramref name="policy"/>: its kind, or Kill once a Respawn's budget is spent.</summary>
    public PanicKind Decide(PanicPolicy policy) =>
        policy.Kind == PanicKind.Respawn && !TryRecord() ? PanicKind.Kill : policy.Kind;

    /// <summary>Forgets the restarts the window has left behind; returns now.</summary>
    private long Prune()
    {
        var now = _time.GetTimestamp();
        while (_recent.Count > 0 && _time.GetElapsedTime(_recent.Peek().At, now) >= _window)
        {
            _inside -= _recent.Dequeue().Count;
        }

        return now;
    }
}
