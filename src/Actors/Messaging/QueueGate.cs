namespace Actorpool.Actors.Messaging;

/// <summary>The lock an <see cref="UpQueue{T, TGate}"/> holds; a struct, so the JIT specializes and inlines it.</summary>
internal interface IQueueGate<TSelf>
    where TSelf : struct, IQueueGate<TSelf>
{
    static abstract TSelf Create();

    void Enter();

    void Exit();
}

/// <summary>A <see cref="System.Threading.Lock"/>: the fastest lock for the pools.</summary>
internal readonly struct LockGate : IQueueGate<LockGate>
{
    private readonly Lock _lock;

    private LockGate(Lock gate) => _lock = gate;

    public static LockGate Create() => new(new Lock());

    public void Enter() => _lock.Enter();

    public void Exit() => _lock.Exit();
}

/// <summary>A Monitor: what Coyote 1.7's systematic tests can control (they do not control System.Threading.Lock).</summary>
internal readonly struct MonitorGate : IQueueGate<MonitorGate>
{
    private readonly object _lock;

    private MonitorGate(object gate) => _lock = gate;

    public static MonitorGate Create() => new(new object());

    public void Enter() => Monitor.Enter(_lock);

    public void Exit() => Monitor.Exit(_lock);
}
