namespace Actorpool.Reliability.Tests.Chaos;

/// <summary>A worker's state in the chaos run: counts how many were opened and closed, and catches a double close.</summary>
internal sealed class ChaosState(ChaosLedger ledger) : IDisposable
{
    private int _closed;
    private int _inside;

    public long Runs { get; set; }

    /// <summary>An asynchronous job's code begins on this state; another one still inside is an overlap (must never happen).</summary>
    public void Enter()
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            Interlocked.Increment(ref ledger.Overlaps);
        }
    }

    public void Exit() => Interlocked.Decrement(ref _inside);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Interlocked.Increment(ref ledger.StatesClosed);
        }
        else
        {
            Interlocked.Increment(ref ledger.StatesClosedTwice);
        }
    }
}

/// <summary>What the chaos driver saw from the outside, to compare with the pool's own counters.</summary>
internal sealed class ChaosLedger
{
    public long StatesOpened;
    public long StatesClosed;
    public long StatesClosedTwice;
    public long InitCrashes;
    public long JobThrows;
    public long Calls;
    public long Completed;
    public long Failed;
    public long Rejected;
    public long Cancelled;
    public long Orphaned; // no outcome after its pool terminated, job message dead-lettered (docs/reliability.md, bug 1, fixed)
    public long Lost;     // no outcome 2 s after its pool terminated, no dead letter (docs/reliability.md, bug 2, fixed)
    public long Late;     // outcome arrived more than 500 ms after its pool terminated (slow delivery under load)
    public long Overlaps; // an async job's code found another one still running on its worker's state

    public override string ToString() =>
        $"calls {Calls}: completed {Completed}, failed {Failed}, rejected {Rejected}, cancelled {Cancelled}, orphaned {Orphaned}, lost {Lost}, late {Late}; " +
        $"states {StatesOpened} opened / {StatesClosed} closed ({StatesClosedTwice} twice); init crashes {InitCrashes}; overlaps {Overlaps}";
}

/// <summary>The fault a chaos job or init throws on purpose.</summary>
internal sealed class ChaosException : Exception
{
    public ChaosException(string message)
        : base(message)
    {
    }

    public ChaosException()
    {
    }

    public ChaosException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
