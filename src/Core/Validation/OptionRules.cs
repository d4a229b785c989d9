namespace Actorpool;

/// <summary>
/// The rules every options record and every hosting setting share, each returning the message that names the option
/// and the bad value (or <c>null</c> when the value is fine): records throw it, the hosting validator collects it
/// under the full configuration key, so both say the same thing. Time values follow <see cref="TimeLimits"/>.
/// </summary>
public static class OptionRules
{
    /// <summary>"<paramref name="name"/> must be at least <paramref name="minimum"/>, was …", or <c>null</c>.</summary>
    public static string? AtLeast(string name, int value, int minimum) =>
        value < minimum ? $"{name} must be at least {minimum}, was {value}." : null;

    /// <summary>"<paramref name="name"/> must be null or a non-blank …, was '…'", or <c>null</c> (a null value is fine: "not set").</summary>
    public static string? NullOrNotBlank(string name, string? value, string what) =>
        value is not null && string.IsNullOrWhiteSpace(value) ? $"{name} must be null or {what}, was '{value}'." : null;
}
