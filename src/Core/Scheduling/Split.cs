namespace Actorpool;

/// <summary>
/// How a parallel loop cuts its index range into units (each unit runs sequentially on one thread). The
/// default value is <see cref="ByThreads"/>.
/// </summary>
public readonly record struct Split
{
    private Split(SplitKind kind, int size)
    {
        Kind = kind;
        Size = size;
    }

    /// <summary>
    /// One unit per thread that runs the loop: each worker, plus the calling thread when it is not a worker
    /// and some core has no worker (an outside caller takes a worker's place when the workers cover the cores).
    /// </summary>
    public static Split ByThreads => default;

    /// <summary>One unit per index: the most balance, the most overhead.</summary>
    public static Split PerItem => new(SplitKind.PerItem, 1);

    /// <summary>The shape of this split.</summary>
    public SplitKind Kind { get; }

    /// <summary>The chunk count (<see cref="SplitKind.Chunks"/>) or chunk size (<see cref="SplitKind.ChunkSize"/>).</summary>
    public int Size { get; }

    /// <summary>Exactly <paramref name="count"/> units of near-equal size (fewer when the range is shorter).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static Split Chunks(int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Chunk count must be at least 1, was {count}.");
        }

        return new Split(SplitKind.Chunks, count);
    }

    /// <summary>Units of <paramref name="size"/> indices each (the last may be shorter).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1.</exception>
    public static Split ChunkSize(int size)
    {
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"Chunk size must be at least 1, was {size}.");
        }

        return new Split(SplitKind.ChunkSize, size);
    }

    /// <summary>A readable form such as <c>Chunks(8)</c>.</summary>
    public override string ToString() => Kind switch
    {
        SplitKind.Chunks => $"Chunks({Size})",
        SplitKind.ChunkSize => $"ChunkSize({Size})",
        _ => Kind.ToString(),
    };

    /// <summary>The unit layout of [from, to) under this split when <paramref name="threads"/> threads run the loop.</summary>
    internal UnitPlan Plan(int from, int to, int threads)
    {
        var length = to - from;
        var units = Kind switch
        {
            SplitKind.PerItem => length,
            SplitKind.Chunks => Math.Min(Size, length),
            SplitKind.ChunkSize => (int)(((long)length + Size - 1) / Size),
            _ => Math.Min(threads, length),
        };
        return new UnitPlan(from, length, units, Kind == SplitKind.ChunkSize ? Size : 0);
    }
}

/// <summary>The kinds of <see cref="Split"/>.</summary>
public enum SplitKind
{
    /// <summary>One unit per thread that runs the loop (see <see cref="Split.ByThreads"/>).</summary>
    ByThreads = 0,

    /// <summary>A fixed number of units.</summary>
    Chunks = 1,

    /// <summary>One unit per index.</summary>
    PerItem = 2,

    /// <summary>Units of a fixed size.</summary>
    ChunkSize = 3,
}

/// <summary>Unit u covers [Start(u), Start(u + 1)); units are contiguous and cover the range exactly once.</summary>
internal readonly record struct UnitPlan(int From, int Length, int Units, int FixedSize)
{
    internal int Start(int unit) => FixedSize > 0
        ? From + (int)Math.Min((long)unit * FixedSize, Length)
        : From + (int)((long)Length * unit / Units);
}
