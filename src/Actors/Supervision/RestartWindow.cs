namespace Actorpool.Actors.Supervision;

/// <summary>Counts a pool's restarts in the sliding window of its <see cref="RestartBudget"/> (supervisor only).</summary>
internal sealed class RestartWindow(RestartBudget? budget, TimeProvider time)
{
    private readonly Queue<DateTimeOffset> _recent = new();

    /// <summary>Records one restart; false when it would exceed the budget (the crash loop becomes a Kill).</summary>
    public bool TryRecord()
    {
        if (budget is null)
        {
            return true;
        }

        var now = time.GetUtcNow();
        while (_recent.Count > 0 && now - _recent.Peek() >= budget.Window)
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
}
