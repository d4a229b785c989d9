namespace Actorpool.Examples.Tests;

/// <summary>Files of the repository the tests read (README.md, docs/): found from the test's output folder.</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder of Actorpool.sln above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The text of <paramref name="relativePath"/> (forward slashes) under <see cref="Root"/>.</summary>
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Actorpool.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Actorpool.sln above {AppContext.BaseDirectory}");
    }
}
