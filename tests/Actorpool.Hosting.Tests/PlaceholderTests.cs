namespace Actorpool.Hosting.Tests;

public class PlaceholderTests
{
    [Fact]
    public void HostingAssembly_Loads() => Assert.NotNull(typeof(PlaceholderTests).Assembly);
}
