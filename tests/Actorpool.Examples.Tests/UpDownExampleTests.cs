using Actorpool.Examples.UpDown;

namespace Actorpool.Examples.Tests;

public class UpDownExampleTests
{
    [Fact(Timeout = 60_000)]
    public async Task UpDownExample_RunsToCompletion_AndCollectsEveryResult()
    {
        using var output = new StringWriter();

        var exitCode = await Task.Run(() => UpDownExample.Run(output)).WaitAsync(TimeSpan.FromSeconds(50));

        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("total 320000 of 320000, failures: 0", output.ToString(), StringComparison.Ordinal);
    }
}
