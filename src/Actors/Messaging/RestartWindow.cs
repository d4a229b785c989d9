using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// Applies a <see cref="PanicPolicy"/> to one failure: the sliding window of a <see cref="RestartBudget"/> turns a
/// crash loop into <see cref="PanicKind.Kill"/>. Not thread-safe: the owner (the supervisor actor, or the lock of a
/// threaded pool) serialises calls.
/// </summary>
internal sealed class RestartWindow(PanicPolicy policy, TimeProvider time)
{
    private readonly Queue<long> _restarts = new(); // timestamps of the restarts inside the window

    /// <summary>What this failure costs: the policy's kind, or Kill once the budget is spent.</summary>
    public PanicKind Decide()
    {
        if (policy.Kind != PanicKind.Respawn || policy.Budget is not { } budget)
        {
            return policy.Kind;
        }

        var now = time.GetTimestamp();
        while (_restarts.Count > 0 && time.GetElapsedTime(_restarts.Peek(), now) > budget.Window)
        {
            _restarts.Dequeue();
        }

        if (_restarts.Count >= budget.MaxRestarts)
        {
            return PanicKind.Kill;
        }

        _restarts.Enqueue(now);
        return PanicKind.Respawn;
    }
}
