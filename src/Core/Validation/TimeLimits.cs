namespace Actorpool;

/// <summary>
/// The documented range of every time-valued option and argument in Actorpool. A value outside its range is
/// rejected at the public edge with an <see cref="ArgumentException"/> naming the option, before it can reach a
/// timer (a .NET timer accepts at most <see cref="MaxDelay"/>).
/// </summary>
public static class TimeLimits
{
    /// <summary>
    /// The longest delay, interval, deadline or window any option accepts: 4,294,967,294 ms (about 49.7 days), the
    /// most a .NET timer can wait. "No limit" is <c>null</c> where an option allows it, never a huge value.
    /// </summary>
    public static TimeSpan MaxDelay { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    /// <summary>
    /// The longest spin window (<c>SpinTime</c>, <c>MaxSpinTime</c>): one minute. An idle worker spins at most this long
    /// before it sleeps, so no value can keep an idle pool burning a core for good.
    /// </summary>
    public static TimeSpan MaxSpin { get; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> unless <paramref name="value"/>
    /// lies in [0, <paramref name="max"/>], or in (0, max] when <paramref name="positive"/>. Options use it so that a
    /// record, a hosting setting and an argument word the same rule the same way.
    /// </summary>
    public static void Check(string name, TimeSpan value, TimeSpan max, bool positive)
    {
        if (Problem(name, value, max, positive) is { } problem)
        {
            throw new ArgumentOutOfRangeException(name, value, problem);
        }
    }

    /// <summary>The message <see cref="Check"/> would throw with, or <c>null</c> when <paramref name="value"/> is in range.</summary>
    public static string? Problem(string name, TimeSpan value, TimeSpan max, bool positive)
    {
        if (positive && value <= TimeSpan.Zero)
        {
            return $"{name} must be positive, was {Show(value)}.";
        }

        if (value < TimeSpan.Zero)
        {
            return $"{name} must not be negative, was {Show(value)}.";
        }

        return value > max ? $"{name} must be at most {max} (TimeLimits), was {Show(value)}." : null;
    }

    private static string Show(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan ? $"{value} (Timeout.InfiniteTimeSpan; use null for no limit where allowed)" : value.ToString();
}
