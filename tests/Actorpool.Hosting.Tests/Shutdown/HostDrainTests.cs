using Actorpool.Hosting.Shutdown;

namespace Actorpool.Hosting.Tests.Shutdown;

public class HostDrainTests
{
    [Theory]
    [InlineData(10.0, null, 10.0)]     // no cap: the deadline stands
    [InlineData(10.0, 29.0, 10.0)]       // a longer phase never lengthens it
    [InlineData(24.0, 4.5, 4.5)]     // Akka's 5 s phase default would shorten a 24 s drain
    [InlineData(null, 29.0, 29.0)]     // no deadline at all: the phase still bounds it
    [InlineData(null, null, null)]
    public void Capped_ShortensTheDeadlineToThePhase_ButNeverLengthensIt(double? deadlineSeconds, double? capSeconds, double? expectedSeconds)
    {
        static TimeSpan? Seconds(double? s) => s is { } v ? TimeSpan.FromSeconds(v) : null;

        Assert.Equal(Seconds(expectedSeconds), HostDrain.Capped(Seconds(deadlineSeconds), Seconds(capSeconds)));
    }
}
