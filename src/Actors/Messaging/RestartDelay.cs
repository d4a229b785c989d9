using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// One up/down worker's restart backoff between the judge of its failures (<see cref="Panic"/>, which decides the
/// delay) and the restarted worker (which waits it out): the consecutive failure count, and the moment before which
/// the worker must not start again. Written and read on different threads, hence the interlocked fields (the
/// actor's mailbox hand-over orders them too).
/// </summary>
internal sealed class RestartDelay(TimeProvider time)
{
    private int _consecutive;
    private long _notBefore; // a TimeProvider timestamp; 0 = none

    /// <summary>Counts a failure; returns which consecutive restart the next one is (1-based).</summary>
    public int NextAttempt() => Interlocked.Increment(ref _consecutive);

    /// <summary>The restarted worker must wait <paramref name="delay"/> from now (nothing when zero).</summary>
    public void Set(TimeSpan delay) =>
        Volatile.Write(ref _notBefore, delay > TimeSpan.Zero ? time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency) : 0);

    /// <summary>The worker did its work again: the next failure starts the doubling over.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _consecutive) != 0)
        {
            Volatile.Write(ref _consecutive, 0); // written only after a failure: the hot path reads, it does not write
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
