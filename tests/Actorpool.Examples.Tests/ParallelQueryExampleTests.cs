using Actorpool.Examples.ParallelQuery;

namespace Actorpool.Examples.Tests;

public sealed class ParallelQueryExampleTests
{
    [Fact(Timeout = 60_000)]
    public async Task Run_ParPlinqAndLinqAgree_AndTheSeedSumIs49995000()
    {
        using var output = new StringWriter();

        var exit = await Task.Run(() => ParallelQueryExample.Run(output, length: 200_003, rounds: 2)).WaitAsync(TimeSpan.FromSeconds(50));

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("sum of 0..10000 split by threads = 49995000", text, StringComparison.Ordinal);
        Assert.Contains("answers agree", text, StringComparison.Ordinal);
    }
}
