namespace Actorpool.Dynamic;

/// <summary>
/// A work part with a fixed scale that can be changed while the pool runs (<see cref="SetScale"/>); built by
/// <see cref="DynamicSystem.WithThreads"/> and <see cref="DynamicSystem.WithScale{TData}(IDynamicWork{TData}, Scale)"/>.
/// </summary>
/// <typeparam name="TData">The per-worker data.</typeparam>
public sealed class ScaledSystem<TData> : IDynamicSystem<TData>
{
    private readonly IDynamicWork<TData> _work;

    // Replaced whole by SetScale (any thread) and read by every worker: a reference swap cannot tear the struct.
    private volatile Holder _current;

    internal ScaledSystem(IDynamicWork<TData> work, Scale scale)
    {
        _work = work;
        _current = new Holder(scale);
    }

    /// <summary>The scale currently answered.</summary>
    public Scale Current => _current.Value;

    /// <summary>Changes the answer; idle workers see it at their next poll, working ones at their next scale check.</summary>
    public void SetScale(Scale scale) => _current = new Holder(scale);

    /// <summary>Shorthand for <c>SetScale(Scale.Active(threads))</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is negative.</exception>
    public void SetThreads(int threads)
    {
        if (threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"Threads must be at least 0, was {threads}.");
        }

        SetScale(Scale.Active(threads));
    }

    /// <inheritdoc />
    public Scale GetScale() => _current.Value;

    /// <inheritdoc />
    public TData Init(int index) => _work.Init(index);

    /// <inheritdoc />
    public Decision Work(ref TData data) => _work.Work(ref data);

    /// <inheritdoc />
    public void Close(TData data) => _work.Close(data);

    private sealed class Holder(Scale value)
    {
        public readonly Scale Value = value;
    }
}
