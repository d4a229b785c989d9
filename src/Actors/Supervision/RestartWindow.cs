namespace Actorpool.Actors.Supervision;

/// <summary>
/// Counts restarts in the sliding window of a <see cref="RestartBudget"/>: the one implementation behind every kind of
/// pool (actor pools, actor and thread up/down pools). A restart counts while less than <see cref="RestartBudget.Window"/>
/// has elapsed since it, on the pool's <see cref="TimeProvider"/> (timestamps, so wall-clock changes do not matter);
/// at exactly the window it has left. Not thread-safe: its owner (an actor, or a lock) serialises calls.
/// </summary>
internal sealed class RestartWindow(RestartBudget? budget, TimeProvider time)
{
    private readonly Queue<long> _recent = new(); // timestamps of the restarts inside the window, oldest first

    /// <summary>Records one restart; false when it would exceed the budget (the crash loop becomes a Kill). Always true without a budget.</summary>
    public bool TryRecord()
    {
        if (budget is null)
        {
            return true;
        }

        var now = time.GetTimestamp();
        while (_recent.Count > 0 && time.GetElapsedTime(_recent.Peek(), now) >= budget.Window)
        {
            _recent.Dequeue();
        }

        if (_recent.Count >= budget.MaxRestarts)
        {
            return false;
        }

        _recent.Enqueue(now);
        return true;
    }

    /// <summary>What a failure costs under <paramref name="policy"/>: its kind, or Kill once a Respawn's budget is spent.</summary>
    public PanicKind Decide(PanicPolicy policy) =>
        policy.Kind == PanicKind.Respawn && !TryRecord() ? PanicKind.Kill : policy.Kind;
}
