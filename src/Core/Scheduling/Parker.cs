namespace Actorpool;

/// <summary>
/// The one blocking primitive the scheduler uses: a binary, sticky signal owned by one thread. Kept behind
/// this seam so a systematic-testing tool can substitute a controlled implementation.
/// </summary>
internal interface IParker
{
    /// <summary>Blocks until signalled, then clears the signal. A signal sent before the wait is not lost.</summary>
    void Wait();

    /// <summary>As <see cref="Wait()"/>, but gives up after <paramref name="timeout"/>; true when signalled.</summary>
    bool Wait(TimeSpan timeout);

    /// <summary>Sets the signal and wakes the owner if it waits. Extra signals coalesce.</summary>
    void Set();
}

/// <summary>The production <see cref="IParker"/>, built on <see cref="Monitor"/>.</summary>
internal sealed class MonitorParker : IParker
{
    private readonly object _gate = new();
    private bool _signaled; // guarded by _gate

    public void Wait() => Wait(Timeout.InfiniteTimeSpan);

    public bool Wait(TimeSpan timeout)
    {
        lock (_gate)
        {
            if (!_signaled)
            {
                Monitor.Wait(_gate, timeout);
            }

            var signaled = _signaled;
            _signaled = false;
            return signaled;
        }
    }

    public void Set()
    {
        lock (_gate)
        {
            _signaled = true;
            Monitor.Pulse(_gate);
        }
    }
}
