using System.Diagnostics;
using Actorpool.Dynamic;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>
/// The cost of one <c>Work</c> call through a <see cref="DynamicPool"/> (function worker, scale check included)
/// against a plain loop on the same number of dedicated threads, for a 1 µs unit of work. Issue target: the
/// pool takes at most 1.2x the plain loop's time per unit.
/// </summary>
public sealed class DynamicWorkScenario : Scenario
{
    private readonly int _threads = Math.Max(2, Environment.ProcessorCount);
    private int _spinsPerMicrosecond;
    private long _sink;

    public override string Name => "dynamic-work-1us";

    public override string Metric => "ns/work";

    public override bool HigherIsBetter => false;

    public override string Target => "pool <= 1.2x plain loop";

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer) => ratioVsPeer >= 1 / 1.2;

    public override void Setup(bool quick) => _spinsPerMicrosecond = Calibrate();

    public override IReadOnlyList<Contender> Contenders(bool quick)
    {
        var units = quick ? 100_000 : 500_000;
        return
        [
            new($"plain loop x{_threads}", true, () => PlainLoop(units)),
            new($"DynamicPool x{_threads}", false, () => Pool(units)),
        ];
    }

    private double PlainLoop(int units)
    {
        var done = 0L;
        var sw = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, _threads).Select(_ => new Thread(() =>
        {
            long acc = 0;
            for (var i = 0; i < units; i++)
            {
                acc += Unit(_spinsPerMicrosecond);
            }

            Interlocked.Add(ref _sink, acc);
            Interlocked.Add(ref done, units);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        sw.Stop();
        return Check(done, units, sw);
    }

    private double Pool(int units)
    {
        var done = 0L;
        var working = _threads;
        ScaledSystem<Func<Decision>>? system = null;
        system = DynamicSystem.FunctionWorker(_ =>
        {
            var left = units;
            long acc = 0;
            return () =>
            {
                if (left > 0)
                {
                    acc += Unit(_spinsPerMicrosecond);
                    if (--left == 0)
                    {
                        Interlocked.Add(ref _sink, acc);
                        Interlocked.Add(ref done, units);
                        if (Interlocked.Decrement(ref working) == 0)
                        {
                            system!.SetScale(Scale.Shutdown);
                        }
                    }
                }

                return Decision.Again;
            };
        }).WithThreads(_threads);

        var sw = Stopwatch.StartNew();
        DynamicPool.StartBackground(system).Join();
        sw.Stop();
        return Check(done, units, sw);
    }

    private double Check(long done, int units, Stopwatch sw) => done != (long)units * _threads
        ? throw new InvalidOperationException($"Ran {done} units, expected {(long)units * _threads}")
        : sw.Elapsed.TotalNanoseconds / units;

    // One unit of work: a dependent multiply chain the JIT cannot fold away.
    private static long Unit(int spins)
    {
        long x = spins;
        for (var i = 0; i < spins; i++)
        {
            x = (x * 31) + i;
        }

        return x;
    }

    private static int Calibrate()
    {
        const int Probe = 100_000;
        long sink = 0;
        for (var i = 0; i < 1_000; i++)
        {
            sink += Unit(Probe / 100); // warm up the JIT
        }

        var sw = Stopwatch.StartNew();
        sink += Unit(Probe * 100);
        sw.Stop();
        GC.KeepAlive(sink);
        return Math.Max(1, (int)(Probe * 100 / sw.Elapsed.TotalMicroseconds));
    }
}
