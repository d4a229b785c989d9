namespace Actorpool.Core.Tests.Scheduling;

/// <summary>
/// A spawned task that signals when it starts and then blocks until released (never longer than the
/// watchdog limit), to hold a worker busy at a known point of a test.
/// </summary>
internal sealed class Blocker : IDisposable
{
    private readonly ManualResetEventSlim _started = new();
    private readonly ManualResetEventSlim _release = new();

    internal Blocker(WorkStealingPool pool) => Handle = pool.Spawn(() =>
    {
        _started.Set();
        _release.Wait(Watchdog.Limit);
    });

    internal TaskHandle Handle { get; }

    /// <summary>True once the task runs (false when it did not start within the watchdog limit).</summary>
    internal bool WaitStarted() => _started.Wait(Watchdog.Limit);

    internal void Release() => _release.Set();

    public void Dispose()
    {
        _release.Set();
        _started.Dispose();
        _release.Dispose();
    }
}
