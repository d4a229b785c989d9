using System.Diagnostics;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// p99 latency of a small Join issued from an external thread while four 5 ms background tasks are
/// re-queued forever on the same workers (the pool's, or the .NET ThreadPool for the peer).
/// </summary>
public sealed class JoinLatencyScenario : Scenario
{
    private const int LoadTasks = 4;
    private static readonly long LoadTicks = Stopwatch.Frequency * 5 / 1000;
    private WorkStealingPool? _pool;

    public override string Name => "join-latency-p99";

    public override string Metric => "us p99";

    public override bool HigherIsBetter => false;

    public override string Target => "p99 <= 100 us";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => actorpoolMedian <= 100;

    public override void Setup(bool quick) => _pool = new WorkStealingPool();

    public override void Cleanup() => _pool?.Dispose();

    public override IReadOnlyList<Contender> Contenders(bool quick)
    {
        var joins = quick ? 1_000 : 3_000;
        return
        [
            new("Parallel.Invoke (ThreadPool loaded)", true, () => Measure(joins,
                item => ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false),
                (a, b) => Parallel.Invoke(a, b))),
            new("Actorpool Join (pool loaded)", false, () => Measure(joins, _pool!.UnsafeQueue, _pool!.Join)),
        ];
    }

    private static double Measure(int joins, Action<IThreadPoolWorkItem> queue, Action<Action, Action> join)
    {
        using var load = new Load(queue);
        for (var i = 0; i < LoadTasks; i++)
        {
            queue(load);
        }

        load.WaitAllRunning();
        var samples = new double[joins];
        long left = 0, right = 0;
        Action a = () => left++;
        Action b = () => Interlocked.Increment(ref right);
        for (var i = 0; i < joins; i++)
        {
            var start = Stopwatch.GetTimestamp();
            join(a, b);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            Thread.SpinWait(2_000); // spread the samples over the background load's cycle
        }

        load.Stop();
        if (left != joins || Interlocked.Read(ref right) != joins)
        {
            throw new InvalidOperationException($"halves ran {left} and {right} times, expected {joins}");
        }

        Array.Sort(samples);
        return samples[(int)Math.Ceiling(0.99 * joins) - 1];
    }

    /// <summary>A 5 ms spinning task that queues itself again until stopped.</summary>
    private sealed class Load(Action<IThreadPoolWorkItem> queue) : IThreadPoolWorkItem, IDisposable
    {
        private readonly CountdownEvent _running = new(LoadTasks);
        private readonly CountdownEvent _stopped = new(LoadTasks);
        private int _started;
        private volatile bool _stop;

        public void Execute()
        {
            if (Interlocked.Increment(ref _started) <= LoadTasks)
            {
                _running.Signal();
            }

            var until = Stopwatch.GetTimestamp() + LoadTicks;
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(50);
            }

            if (_stop)
            {
                _stopped.Signal();
            }
            else
            {
                queue(this);
            }
        }

        public void WaitAllRunning() => _running.Wait(TimeSpan.FromSeconds(30));

        public void Stop()
        {
            _stop = true;
            if (!_stopped.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("background load did not stop");
            }
        }

        public void Dispose()
        {
            _running.Dispose();
            _stopped.Dispose();
        }
    }
}
