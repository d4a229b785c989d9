using Actorpool.Actors.Pools;
using NetArchTest.Rules;

namespace Actorpool.Actors.Tests;

/// <summary>
/// The namespaces of src/Actors form layers, not a knot: no namespace depends (in signatures or method bodies, as
/// the compiled IL shows) on one that depends back on it, directly or through others. A newcomer can then read the
/// project bottom-up: Supervision (panic vocabulary), Metrics, Jobs, Workers, Dispatch, Messaging, and Pools on top.
/// </summary>
public sealed class NamespaceCycleTests
{
    private static readonly System.Reflection.Assembly Actors = typeof(PoolOptions<>).Assembly;

    [Fact]
    public void TheNamespacesOfActors_HaveNoDependencyCycle()
    {
        var namespaces = Actors.GetTypes()
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith("Actorpool.Actors.", StringComparison.Ordinal))
            .Select(n => n!)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(namespaces.Count >= 6, $"found only {string.Join(", ", namespaces)}"); // the check looks at something

        var edges = namespaces.ToDictionary(n => n, n => namespaces.Where(other => other != n && DependsOn(n, other)).ToList());

        var cycle = FindCycle(namespaces, edges);
        Assert.True(cycle is null, $"Namespace cycle: {string.Join(" -> ", cycle ?? [])}. Edges: " +
            string.Join("; ", edges.Select(e => $"{Short(e.Key)} -> {string.Join(", ", e.Value.Select(Short))}")));
    }

    [Fact]
    public void TheCycleCheck_FindsACycle_WhenThereIsOne()
    {
        // The detector itself, on a planted graph: a -> b -> c -> a.
        var nodes = new List<string> { "a", "b", "c", "d" };
        var edges = new Dictionary<string, List<string>> { ["a"] = ["b"], ["b"] = ["c"], ["c"] = ["a"], ["d"] = ["a"] };

        Assert.Equal(["a", "b", "c", "a"], FindCycle(nodes, edges));
        Assert.Null(FindCycle(nodes, new Dictionary<string, List<string>> { ["a"] = ["b"], ["b"] = ["c"], ["c"] = [], ["d"] = ["a"] }));
    }

    [Fact]
    public void TheDependencyProbe_SeesARealDependency()
    {
        // Pools uses Jobs (PoolRef builds TaskJob): a probe that saw nothing would make the cycle test pass vacuously.
        Assert.True(DependsOn("Actorpool.Actors.Pools", "Actorpool.Actors.Jobs"));
        Assert.False(DependsOn("Actorpool.Actors.Supervision", "Actorpool.Actors.Pools"));
    }

    private static bool DependsOn(string from, string to) =>
        Types.InAssembly(Actors)
            .That().ResideInNamespaceMatching("^" + System.Text.RegularExpressions.Regex.Escape(from) + "$")
            .And().HaveDependencyOn(to)
            .GetTypes()
            .Any();

    private static List<string>? FindCycle(List<string> nodes, Dictionary<string, List<string>> edges)
    {
        var state = nodes.ToDictionary(n => n, _ => 0); // 0 unvisited, 1 on the path, 2 done
        var path = new List<string>();
        foreach (var node in nodes)
        {
            if (state[node] == 0 && Visit(node) is { } found)
            {
                return found;
            }
        }

        return null;

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (state[next] == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }

                if (state[next] == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    private static string Short(string ns) => ns["Actorpool.Actors.".Length..];
}
