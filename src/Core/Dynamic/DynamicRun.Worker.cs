namespace Actorpool.Dynamic;

internal sealed partial class DynamicRun<TData>
{
    /// <summary>
    /// The loop of worker <paramref name="index"/>, on its own thread (or the caller's, for worker 0 of a
    /// foreground run). Every exception ends up in <see cref="Panic"/>; the data is closed exactly once.
    /// </summary>
    internal void RunWorker(int index)
    {
        var outer = DynamicWorkerThread.Run;
        DynamicWorkerThread.Run = this;
        var system = _system;
        TData data = default!;
        var hasData = false;
        var active = false;
        var retired = false;
        try
        {
            while (true)
            {
                // Read before looking at any state, so a signal that arrives after this point ends the Wait below.
                var seen = Volatile.Read(ref _epoch);
                if (_stopping)
                {
                    break;
                }

                var current = _system;
                if (!ReferenceEquals(current, system))
                {
                    // SwapSystem: the old system closes what it built; the new one builds lazily below.
                    if (hasData)
                    {
                        hasData = false;
                        system.Close(data);
                        data = default!;
                    }

                    system = current;
                }

                var scale = _shutdownRequested ? Scale.Shutdown : system.GetScale();
                if (scale.IsShutdown)
                {
                    _stopping = true;
                    Signal();
                    break;
                }

                Spawn(scale.Workers);
                if (index < scale.Workers)
                {
                    SetActive(ref active, true);
                    if (!hasData)
                    {
                        data = system.Init(index);
                        hasData = true;
                    }

                    Decision decision;
                    do
                    {
                        decision = system.Work(ref data);
                    }
                    while (decision == Decision.Incomplete && !_panicked);

                    if (decision == Decision.Restart)
                    {
                        hasData = false;
                        system.Close(data);
                        data = default!;
                    }

                    continue;
                }

                SetActive(ref active, false);
                if (index > 0 && index == Volatile.Read(ref _claimed) - 1 && index >= MaxAlive(scale))
                {
                    // Close before giving up the slot: the worker below cannot retire (and close) until the
                    // slot count drops, so closes happen highest index first.
                    if (hasData)
                    {
                        hasData = false;
                        system.Close(data);
                        data = default!;
                    }

                    if (Interlocked.CompareExchange(ref _claimed, index, index + 1) == index + 1)
                    {
                        retired = true;
                        Signal();
                        break;
                    }

                    continue;
                }

                Wait(seen);
            }
        }
        catch (Exception ex)
        {
            Panic(ex);
        }
        finally
        {
            SetActive(ref active, false);
            if (hasData)
            {
                try
                {
                    system.Close(data);
                }
                catch (Exception ex)
                {
                    Panic(ex);
                }
            }

            if (!retired)
            {
                Interlocked.Decrement(ref _claimed);
            }

            DynamicWorkerThread.Run = outer;
            ThreadEnded();
        }
    }

    /// <summary>How many threads may stay alive under <paramref name="scale"/>, active and idle together.</summary>
    private static long MaxAlive(Scale scale) => scale.Kind switch
    {
        ScaleKind.Mixed => (long)scale.Workers + scale.MaxInactive.GetValueOrDefault(),
        ScaleKind.NoTerm => long.MaxValue,
        _ => scale.Workers,
    };

    private void SetActive(ref bool active, bool value)
    {
        if (active == value)
        {
            return;
        }

        active = value;
        if (value)
        {
            Interlocked.Increment(ref _active);
        }
        else
        {
            Interlocked.Decrement(ref _active);
        }
    }
}

/// <summary>Which run the current thread is a worker of, so that a Join from inside the run fails instead of hanging.</summary>
internal static class DynamicWorkerThread
{
    [ThreadStatic]
    private static object? _run;

    internal static object? Run
    {
        get => _run;
        set => _run = value;
    }
}
