using Actorpool.Examples.Snippets;
using Akka.Actor;

namespace Actorpool.Examples.Tests;

/// <summary>README.md's picture of a pool is generated from a live pool (not drawn by hand), and stays so.</summary>
public sealed class SupervisionTreePictureTests
{
    private const string Marker = "<!-- picture: supervision-tree -->";
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 60_000)]
    public async Task ReadmePicture_IsWhatALivePoolDraws()
    {
        using var system = ActorSystem.Create("picture", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        var pool = SupervisionTreePicture.SpawnPictured(system);
        var drawn = await SupervisionTreePicture.DrawAsync(system, pool, maxWorkers: 8, Watchdog);
        await pool.StopAsync().WaitAsync(Watchdog);

        Assert.Contains("worker2[\"worker-2: actor with its own state\"]", drawn, StringComparison.Ordinal); // found live: three workers
        Assert.DoesNotContain("worker-3", drawn, StringComparison.Ordinal);
        var readme = RepositoryFiles.Read("README.md").ReplaceLineEndings("\n");
        var at = readme.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"README.md has no '{Marker}' line before its picture.");
        var start = readme.IndexOf("```mermaid\n", at, StringComparison.Ordinal) + "```mermaid\n".Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        Assert.Equal(drawn.ReplaceLineEndings("\n"), readme[start..end]);
    }
}
