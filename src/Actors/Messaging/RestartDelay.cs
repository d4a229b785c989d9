using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// The backoff of one up/down worker between its restarts, as <see cref="RestartBudget"/> defines it for every kind
/// of pool: <see cref="RestartBudget.InitialBackoff"/> doubling per consecutive failure up to
/// <see cref="RestartBudget.MaxBackoff"/>; without a budget a failure that made no progress (a state that could not
/// be built) still backs off from <see cref="RestartBudget.InitFailureBackoff"/>, so nothing spins a core.
/// Written by whoever judges the failure, read by the restarted worker; the fields are volatile because those are
/// different threads (the actor's mailbox hand-over orders them too).
/// </summary>
internal sealed class RestartDelay(PanicPolicy policy, TimeProvider time)
{
    private volatile int _consecutive;
    private long _notBefore; // a TimeProvider timestamp; 0 = none

    /// <summary>Records a failure and returns the delay before the next start.</summary>
    public TimeSpan Fail(bool madeNoProgress)
    {
        var consecutive = Interlocked.Increment(ref _consecutive);
        var delay = RestartBudget.Backoff(policy.Budget, consecutive, madeNoProgress && policy.Budget is null);
        Volatile.Write(ref _notBefore, delay > TimeSpan.Zero ? time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency) : 0);
        return delay;
    }

    /// <summary>The worker did its work again: the next failure starts the doubling over.</summary>
    public void Succeeded()
    {
        if (_consecutive != 0)
        {
            _consecutive = 0; // written only after a failure: the hot path reads, it does not write
        }
    }

    /// <summary>How long the restarted worker must still wait (zero when none), taken once.</summary>
    public TimeSpan TakeRemaining()
    {
        var notBefore = Interlocked.Exchange(ref _notBefore, 0);
        if (notBefore == 0)
        {
            return TimeSpan.Zero;
        }

        var remaining = time.GetElapsedTime(time.GetTimestamp(), notBefore);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
