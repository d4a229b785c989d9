namespace Actorpool;

/// <summary>Lock-free monotonic updates of a shared int (a CAS loop that only ever moves the value one way).</summary>
internal static class Atomic
{
    /// <summary>Sets <paramref name="location"/> to <paramref name="value"/> if that raises it.</summary>
    internal static void Raise(ref int location, int value) => Move(ref location, value, up: true);

    /// <summary>Sets <paramref name="location"/> to <paramref name="value"/> if that lowers it.</summary>
    internal static void Lower(ref int location, int value) => Move(ref location, value, up: false);

    private static void Move(ref int location, int value, bool up)
    {
        var current = Volatile.Read(ref location);
        while (up ? current < value : value < current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
