using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Actorpool.Actors.Messaging;
using Akka.Actor;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// Issue 5: two workers send 5M small up messages to one manager that drains them, through a queue of capacity
/// 1024. The peer is a bounded System.Threading.Channels channel (async writers, TryRead + WaitToReadAsync reader);
/// Actorpool runs thread-style workers (blocking Send) and actor workers (awaited SendUpAsync), the manager
/// draining with RecvBurst. Besides items/s it prints each run's peak managed-heap growth, which the target
/// also checks (under 10 MB).
/// </summary>
public sealed class UpDownBurstScenario : Scenario
{
    private const int Producers = 2;
    private const int Capacity = 1024;
    private const double MaxGrowthMb = 10;

    private int _perProducer;
    private ActorSystem? _system;
    private ActorUpDownPool<int, int>? _actorPool;
    private ThreadUpDownPool<int, int>? _threadPool;
    private double _worstGrowthMb; // the largest heap growth any Actorpool run showed

    public override string Name => "updown-burst";

    public override string Metric => "items/s";

    public override bool HigherIsBetter => true;

    public override string Target => $"ratio >= 0.5, heap growth < {MaxGrowthMb} MB";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 0.5 && _worstGrowthMb < MaxGrowthMb;

    public override void Setup(bool quick)
    {
        _perProducer = 2_500_000;
        _system = ActorSystem.Create("bench-updown", "akka.loglevel = WARNING");
        var options = new UpDownOptions { Capacity = Capacity };
        _actorPool = _system.SpawnUpDownPool<int, int>(options with { Name = "bench-actors" });
        _threadPool = UpDownPool.CreateThreaded<int, int>(options with { Name = "bench-threads" });
    }

    public override void Cleanup()
    {
        _actorPool?.Dispose();
        _threadPool?.Dispose();
        _system?.Terminate().Wait(TimeSpan.FromSeconds(10));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   worst Actorpool heap growth: {_worstGrowthMb:F2} MB"));
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new("Channel bounded(1024)", true, RunChannel),
        new("UpDown threads+RecvBurst", false, () => RunPool(_threadPool!, "threads", pool =>
        {
            for (var p = 0; p < Producers; p++)
            {
                _threadPool!.Execute(w =>
                {
                    for (var i = 0; i < _perProducer; i++)
                    {
                        w.Send(i);
                    }

                    w.Run(_ => { });
                });
            }
        })),
        new("UpDown actors+RecvBurst", false, () => RunPool(_actorPool!, "actors", pool =>
        {
            for (var p = 0; p < Producers; p++)
            {
                _actorPool!.AddWorker(async (int count, UpLink<int> up) =>
                {
                    for (var i = 0; i < count; i++)
                    {
                        await up.SendUpAsync(i);
                    }
                });
            }

            _actorPool!.Broadcast(_perProducer);
        })),
    ];

    private double RunChannel()
    {
        var channel = Channel.CreateBounded<(int Value, int Worker)>(new BoundedChannelOptions(Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var baseline = GC.GetTotalMemory(false);
        var sw = Stopwatch.StartNew();
        var writers = Enumerable.Range(0, Producers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < _perProducer; i++)
            {
                await channel.Writer.WriteAsync((i, w)).ConfigureAwait(false);
            }
        })).ToArray();

        var reader = channel.Reader;
        var next = new int[Producers];
        long total = 0, peak = baseline;
        var expected = (long)Producers * _perProducer;
        while (total < expected)
        {
            while (reader.TryRead(out var item))
            {
                Check(next, item.Worker, item.Value);
                total++;
            }

            if ((total & 0xFFFF) < 1024)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
            }

            if (total < expected)
            {
                reader.WaitToReadAsync().AsTask().Wait();
            }
        }

        Task.WaitAll(writers);
        sw.Stop();
        Report("channel", peak - baseline, track: false);
        return total / sw.Elapsed.TotalSeconds;
    }

    private double RunPool(UpDownPool<int, int> pool, string label, Action<UpDownPool<int, int>> start)
    {
        var burst = new List<UpMessage<int>>(Capacity + Producers);
        var next = new int[Producers];
        var baseline = GC.GetTotalMemory(false);
        long total = 0, peak = baseline, rounds = 0;
        var expected = (long)Producers * _perProducer;
        var sw = Stopwatch.StartNew();
        start(pool);
        while (total < expected)
        {
            burst.Clear();
            if (pool.RecvBurst(burst) == 0)
            {
                burst.Add(pool.Recv());
            }

            foreach (var m in burst)
            {
                Check(next, m.Worker, m.Value);
            }

            total += burst.Count;
            if ((++rounds & 63) == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
            }
        }

        sw.Stop();
        var report = pool.StopAndJoin();
        if (report.Messages.Count != 0 || report.Failures.Count != 0)
        {
            throw new InvalidOperationException($"Stop returned {report.Messages.Count} extra messages, {report.Failures.Count} failures");
        }

        Report(label, peak - baseline, track: true);
        return total / sw.Elapsed.TotalSeconds;
    }

    private static void Check(int[] next, int worker, int value)
    {
        if (next[worker]++ != value)
        {
            throw new InvalidOperationException($"Worker {worker} sent {value}, expected {next[worker] - 1}: lost or reordered");
        }
    }

    private void Report(string label, long growthBytes, bool track)
    {
        var mb = growthBytes / (1024.0 * 1024.0);
        if (track)
        {
            _worstGrowthMb = Math.Max(_worstGrowthMb, mb);
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"     {label}: peak heap growth {mb:F2} MB"));
    }
}
