using System.Globalization;

namespace Actorpool.Reliability.Tests.Chaos;

/// <summary>
/// Counts the process's threads started by the pools, by name, from <c>/proc/self/task/*/comm</c> (.NET gives a
/// managed thread's name to the OS thread, cut to 15 characters): WorkStealingPool threads (<c>actorpool-worker-N</c>),
/// DynamicPool threads (<c>actorpool-dynamic-N</c>), the work-stealing dispatcher (<c>actorpool-dispatcher-N</c>) and
/// thread-style up/down workers (<c>{pool name}-worker-N</c>). Threads alive at the baseline are ignored.
/// </summary>
internal sealed class ThreadCensus
{
    private const string TaskDirectory = "/proc/self/task";
    private readonly string[] _prefixes;
    private readonly HashSet<int> _baseline;

    private ThreadCensus(string[] prefixes)
    {
        _prefixes = prefixes;
        _baseline = [.. Matching().Select(t => t.Id)];
    }

    /// <summary>Whether the platform exposes thread names (Linux); elsewhere the census cannot see threads.</summary>
    public static bool Supported => Directory.Exists(TaskDirectory);

    /// <summary>Takes the baseline: pool threads alive now are not counted as left over later.</summary>
    public static ThreadCensus Take(params string[] prefixes) => new(prefixes);

    /// <summary>Every matching thread started since the baseline and still alive, as "name (tid N)".</summary>
    public IReadOnlyList<string> Leftovers() =>
        [.. Matching().Where(t => !_baseline.Contains(t.Id)).Select(t => $"{t.Name} (tid {t.Id})")];

    /// <summary>Waits up to <paramref name="bound"/> for the threads started since the baseline to exit; fails naming those left.</summary>
    public async Task AssertNoneLeftAsync(TimeSpan bound, string context)
    {
        var until = DateTime.UtcNow + bound;
        var left = Leftovers();
        while (left.Count > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(1); // polling /proc: a thread's exit raises no signal this process can wait on
            left = Leftovers();
        }

        Assert.True(left.Count == 0, $"{left.Count} pool thread(s) still running {bound.TotalSeconds:F0} s after {context}: {string.Join(", ", left)}");
    }

    private IEnumerable<(int Id, string Name)> Matching()
    {
        foreach (var directory in Directory.EnumerateDirectories(TaskDirectory))
        {
            string name;
            try
            {
                name = File.ReadAllText(Path.Combine(directory, "comm")).TrimEnd('\n');
            }
            catch (IOException)
            {
                continue; // the thread exited while we looked
            }

            if (_prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                yield return (int.Parse(Path.GetFileName(directory), CultureInfo.InvariantCulture), name);
            }
        }
    }
}
