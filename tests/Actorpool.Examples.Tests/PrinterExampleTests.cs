using Actorpool.Examples.Printer;

namespace Actorpool.Examples.Tests;

public sealed class PrinterExampleTests
{
    [Fact(Timeout = 30_000)]
    public async Task Run_GreetsInFourLanguages_ThenTenFunctionWorkersGreet_AndExitsWithZero()
    {
        using var output = new StringWriter();

        var exitCode = await Task.Run(() => PrinterExample.Run(output)).WaitAsync(TimeSpan.FromSeconds(20));

        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, exitCode);
        string[] greetings = ["Hello", "Hola", "Bonjour", "Ciao"];
        for (var i = 0; i < greetings.Length; i++)
        {
            Assert.Contains($"[worker {i}] {greetings[i]}", lines);
            Assert.Single(lines, l => l == $"[worker {i}] {greetings[i]} -> goodbye");
        }

        Assert.Contains("printer: done, 4 workers closed", lines);

        for (var i = 0; i < 10; i++)
        {
            Assert.Contains($"[function {i}] hi #1", lines);
        }

        Assert.Equal("function workers: done", lines[^1]);
    }
}
