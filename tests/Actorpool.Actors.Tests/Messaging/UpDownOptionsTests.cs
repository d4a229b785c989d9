using Actorpool.Actors.Messaging;
using Actorpool.Actors.Supervision;

namespace Actorpool.Actors.Tests.Messaging;

public class UpDownOptionsTests
{
    [Fact]
    public void Defaults_ArePinned()
    {
        var options = UpDownOptions.Default;

        Assert.Equal(1024, options.Capacity);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Equal(PanicKind.Respawn, options.Panic.Kind);
        Assert.Null(options.Name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Create_WithCapacityBelowOne_IsRejectedNamingTheValue(int capacity)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => UpDownPool.CreateThreaded<int, int>(UpDownOptions.Default.WithCapacity(capacity)));

        Assert.Equal("Capacity", error.ParamName);
        Assert.Contains($"Capacity must be at least 1, was {capacity}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithABlankName_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => UpDownPool.CreateThreaded<int, int>(new UpDownOptions { Name = " " }));

        Assert.Equal("Name", error.ParamName);
    }
}
