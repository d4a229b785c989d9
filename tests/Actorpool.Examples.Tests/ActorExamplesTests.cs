using Actorpool.Examples.DbState;
using Actorpool.Examples.Server;

namespace Actorpool.Examples.Tests;

public sealed class ActorExamplesTests
{
    [Fact(Timeout = 60_000)]
    public async Task ServerExample_RespawnsThePanickedWorkerAndServesTheRest()
    {
        using var output = new StringWriter();

        var exit = await Task.Run(() => ServerExample.Run(TextWriter.Synchronized(output))).WaitAsync(TimeSpan.FromSeconds(50));

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("served 11, failed 1, restarts 1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task DbStateExample_UsesOneConnectionPerWorkerAndClosesEachOnce()
    {
        using var output = new StringWriter();

        var exit = await Task.Run(() => DbStateExample.Run(TextWriter.Synchronized(output))).WaitAsync(TimeSpan.FromSeconds(50));

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("connections closed: 2 of 2", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("queries overlapping on one connection: 0", output.ToString(), StringComparison.Ordinal);
    }
}
