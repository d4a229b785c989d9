using System.Collections.Concurrent;
using Actorpool.Actors.Pools;

namespace Actorpool.Actors.Tests;

/// <summary>
/// Base of the pool specs: the test kit's spec base (a real ActorSystem, a fake clock, a recorder of dead-lettered
/// jobs and the counter identity every spec checks at its end), with a watchdog and a warm-up of its own.
/// </summary>
public abstract class PoolSpec : Testing.PoolSpec
{
    protected PoolSpec(string? config = null)
        : base(config)
    {
    }

    protected static TimeSpan Watchdog { get; } = TimeSpan.FromSeconds(20);

    /// <summary>Jobs <see cref="WarmUpAsync"/> runs (they count as submitted and completed).</summary>
    protected const int WarmUpJobs = 4;

    /// <summary>
    /// Runs <see cref="WarmUpJobs"/> tiny jobs one after another and waits until their worker reported them: the pool
    /// has measured how long its jobs take (the first, with the JIT's work in it, looks slow), so its credit per
    /// worker is the full prefetch from now on (a new pool hands each worker one job until it knows).
    /// </summary>
    protected static async Task WarmUpAsync<TState>(PoolRef<TState> pool)
    {
        for (var i = 0; i < WarmUpJobs; i++)
        {
            await pool.RunAsync(_ => 0).WaitAsync(Watchdog);
        }

        var deadline = DateTime.UtcNow + Watchdog;
        while ((await pool.GetStatsAsync().WaitAsync(Watchdog)).Busy > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The worker never reported its warm-up job.");
            await Task.Delay(1);
        }
    }
}

/// <summary>A log of what workers did, with a real signal to wait for an entry (no sleeping, no polling).</summary>
public sealed class Journal : IEnumerable<string>
{
    private readonly ConcurrentQueue<string> _entries = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Enqueue(string entry)
    {
        _entries.Enqueue(entry);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes once the journal holds <paramref name="count"/> entries equal to <paramref name="entry"/>.</summary>
    public async Task WaitForAsync(string entry, int count = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (_entries.Count(e => e == entry) >= count)
            {
                return;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    public IEnumerator<string> GetEnumerator() => _entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A per-worker state that records how it was built and closed.</summary>
public sealed class Connection(int index, Journal log) : IDisposable
{
    private int _disposed;

    public int Index { get; } = index;

    public int Uses { get; set; }

    public bool Disposed => Volatile.Read(ref _disposed) != 0;

    public void Dispose()
    {
        var times = Interlocked.Increment(ref _disposed);
        log.Enqueue(times == 1 ? $"close {Index}" : $"close {Index} AGAIN");
    }
}
