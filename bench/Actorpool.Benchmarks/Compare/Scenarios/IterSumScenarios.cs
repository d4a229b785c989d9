using System.Numerics;
using System.Runtime.InteropServices;
using Actorpool.Benchmarks.Iterators;
using Actorpool.Iterators;

namespace Actorpool.Benchmarks.Compare.Scenarios;

/// <summary>The README example: the sum of 0..10 000 as longs, split by threads, in microseconds per query.</summary>
public sealed class IterSum10kScenario : IterScenario
{
    private const int N = 10_000;
    private const long Expected = 49_995_000;
    private const string Plinq = "PLINQ Range.AsParallel().Select.Sum";
    private const string Linq = "LINQ Range.Select.Sum";

    public override string Name => "iter-sum-10k";

    public override string Metric => "us/query";

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double> { [Plinq] = 10, [Linq] = 1 / 1.5 };

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Micros(200, Expected, () => Enumerable.Range(0, N).AsParallel().Select(i => (long)i).Sum())),
        new(Linq, true, () => Micros(2_000, Expected, () => Enumerable.Range(0, N).Select(i => (long)i).Sum())),
        new("Actorpool Par.Range.Select.Sum", false, () => Micros(2_000, Expected,
            () => Par.Range(0, N).Select(i => (long)i).With(Split.ByThreads).On(Pool).Sum())),
        new("Actorpool Par.Range.Select(struct functor).Sum", false, () => Micros(2_000, Expected,
            () => Par.Range(0, N).Select<long, QueryFunctors.ToLong>(default).With(Split.ByThreads).On(Pool).Sum())),
    ];
}

/// <summary>The same sum over a long[] of 0..10 000: LINQ's Sum is vectorized here, and so is Par's.</summary>
public sealed class IterSum10kArrayScenario : IterScenario<long>
{
    private const string Plinq = "PLINQ long[].AsParallel().Sum";
    private const string Linq = "LINQ long[].Sum";

    public override string Name => "iter-sum-10k-array";

    protected override long[] Build() => [.. Enumerable.Range(0, 10_000).Select(i => (long)i)];

    public override string Metric => "us/query";

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double> { [Plinq] = 10, [Linq] = 1 / 1.5 };

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Micros(200, 49_995_000L, () => Data.AsParallel().Sum())),
        new(Linq, true, () => Micros(20_000, 49_995_000L, () => Data.Sum())),
        new("Actorpool Par.Over(long[]).Sum", false, () => Micros(20_000, 49_995_000L, () => Par.Over(Data).On(Pool).Sum())),
    ];
}

/// <summary>The sum of 50M longs (memory-bound) against every parallel peer and sequential LINQ, in ms.</summary>
public sealed class IterSum50MScenario : IterScenario<long>
{
    private const int N = 50_000_000;
    private const long Expected = (long)(N - 1) * N / 2;
    private const string Plinq = "PLINQ AsParallel().Sum";
    private const string ForEach = "Parallel.ForEach(range partitioner)";
    private const string Linq = "LINQ Sum (sequential, vectorized)";
    public override string Name => "iter-sum-50m";

    public override string Metric => "ms";

    public override int Trials(bool quick) => quick ? 7 : 11;

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double> { [Plinq] = 1, [ForEach] = 1, [Linq] = 1.5 };

    protected override long[] Build() => [.. Enumerable.Range(0, N).Select(i => (long)i)];

    private TwoThreadSum? _bound;

    public override void Setup(bool quick)
    {
        base.Setup(quick);
        _bound = new TwoThreadSum();
    }

    public override void Cleanup()
    {
        _bound?.Dispose();
        base.Cleanup();
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Millis(() => Data.AsParallel().Sum(), r => r == Expected)),
        new(ForEach, true, () => Millis(() => Sum50MScenario.ParallelForEachSum(Data), r => r == Expected)),
        new(Linq, true, () => Millis(() => Data.Sum(), r => r == Expected)),
        new("Actorpool Par.Over.Sum", false, () => Millis(() => Par.Over(Data).On(Pool).Sum(), r => r == Expected)),
        new(TwoThreadSum.Name, true, () => Millis(() => _bound!.Sum(Data), r => r == Expected)),
    ];

    /// <summary>
    /// What two threads can do on this machine, as a diagnostic (not a target): the caller and one dedicated thread,
    /// started once and woken per sum, each add half the array with a bare vector loop (wrapping, no exactness).
    /// When this is not 1.5x sequential LINQ either, the row's 1.5x target is beyond the machine's memory bandwidth.
    /// </summary>
    private sealed class TwoThreadSum : IDisposable
    {
        internal const string Name = "bound: 2 raw threads, bare vector loop (not a target)";
        private readonly SemaphoreSlim _go = new(0);
        private readonly SemaphoreSlim _done = new(0);
        private readonly Thread _thread;
        private long[] _data = [];
        private long _secondHalf;
        private volatile bool _stopping;

        public TwoThreadSum()
        {
            _thread = new Thread(() =>
            {
                while (true)
                {
                    _go.Wait();
                    if (_stopping)
                    {
                        return;
                    }

                    _secondHalf = VectorSum(_data.AsSpan(_data.Length / 2));
                    _done.Release();
                }
            }) { IsBackground = true, Name = "two-thread-sum" };
            _thread.Start();
        }

        public long Sum(long[] data)
        {
            _data = data;
            _go.Release();
            var first = VectorSum(data.AsSpan(0, data.Length / 2));
            _done.Wait();
            _data = [];
            return first + _secondHalf;
        }

        public void Dispose()
        {
            _stopping = true;
            _go.Release();
            _thread.Join();
        }

        private static long VectorSum(ReadOnlySpan<long> span)
        {
            var vectors = MemoryMarshal.Cast<long, Vector<long>>(span);
            var (a, b, c, d) = (Vector<long>.Zero, Vector<long>.Zero, Vector<long>.Zero, Vector<long>.Zero);
            var k = 0;
            for (; k + 4 <= vectors.Length; k += 4)
            {
                a += vectors[k];
                b += vectors[k + 1];
                c += vectors[k + 2];
                d += vectors[k + 3];
            }

            var total = Vector.Sum(a + b + c + d);
            for (; k < vectors.Length; k++)
            {
                total += Vector.Sum(vectors[k]);
            }

            foreach (var x in span[(vectors.Length * Vector<long>.Count)..])
            {
                total += x;
            }

            return total;
        }
    }
}

/// <summary>Bytes allocated (all threads, precise) per element of a 10M-element Select.Where.Sum query.</summary>
public sealed class IterAllocScenario : IterScenario<long>
{
    private const int N = 10_000_000;
    private const string Plinq = "PLINQ Select.Where.Sum";
    private long _expected;
    private long _plainSum;

    public override string Name => "iter-alloc";

    public override string Metric => "bytes/elem";

    public override string Target => "0 bytes/elem (a constant per query)";

    protected override IReadOnlyDictionary<string, double> Targets => new Dictionary<string, double>();

    public override bool? TargetMet(double actorpoolMedian, double ratioVsPeer, IReadOnlyDictionary<string, double> ratioVsEachPeer) =>
        actorpoolMedian < 0.001;

    public override int Trials(bool quick) => quick ? 2 : 3;

    protected override long[] Build() => [.. Enumerable.Range(0, N).Select(i => (long)i)];

    public override void Setup(bool quick)
    {
        base.Setup(quick);
        _expected = Data.Select(x => x * 3).Where(x => x % 7 != 0).Sum();
        _plainSum = Data.Sum();
    }

    public override IReadOnlyList<Contender> Contenders(bool quick) =>
    [
        new(Plinq, true, () => Bytes(_expected, () => Data.AsParallel().Select(x => x * 3).Where(x => x % 7 != 0).Sum())),
        new("Actorpool Par.Over.Select.Where.Sum", false, () => Bytes(_expected, () => Par.Over(Data).On(Pool).Select(x => x * 3).Where(x => x % 7 != 0).Sum())),
        new("Actorpool Par.Over.Sum (vector)", false, () => Bytes(_plainSum, () => Par.Over(Data).On(Pool).Sum())),
    ];

    private static double Bytes(long expected, Func<long> run)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = run();
        var after = GC.GetTotalAllocatedBytes(precise: true);
        return result != expected ? throw new InvalidOperationException($"sum {result}, expected {expected}") : (double)(after - before) / N;
    }
}
