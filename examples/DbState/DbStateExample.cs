namespace Actorpool.Examples.DbState;

/// <summary>The DbState example; <see cref="Run"/> is what Program.cs and the example test call.</summary>
public static class DbStateExample
{
    /// <summary>Runs the example to completion, writing what it does to <paramref name="output"/>; returns the exit code.</summary>
    public static int Run(TextWriter output)
    {
        output.WriteLine("not written yet");
        return 1;
    }
}
