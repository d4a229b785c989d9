using System.Diagnostics;

namespace Actorpool.Reliability.Tests.Idle;

/// <summary>Measures this process's CPU time over a wall-clock window, as a fraction of one core.</summary>
internal static class CpuMeter
{
    private const string TieredJitThread = ".NET Tiered Com"; // Linux thread name (comm, 15 chars) of the re-JIT worker

    /// <summary>
    /// The lowest of <paramref name="windows"/> measurements of <paramref name="window"/> each. A pool that spins
    /// or polls when idle costs CPU in every window; unrelated noise in the process (GC, the test runner) comes in
    /// bursts, so the minimum is a fair, stable upper bound of what the idle pool costs. The runtime's background
    /// tiered re-JIT thread (10–25% of a core for seconds after start in this busy test process) is not the
    /// pool's and is left out where the OS lets us see it (/proc on Linux).
    /// </summary>
    internal static async Task<double> LowestCoreFractionAsync(TimeSpan window, int windows)
    {
        var lowest = double.MaxValue;
        for (var i = 0; i < windows; i++)
        {
            var before = ProcessCpu() - JitThreadCpu();
            var wall = Stopwatch.StartNew();
            await Task.Delay(window); // measuring over a window, not waiting for a condition
            var cpu = ProcessCpu() - JitThreadCpu() - before;
            lowest = Math.Min(lowest, cpu.TotalSeconds / wall.Elapsed.TotalSeconds);
        }

        return lowest;
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static TimeSpan JitThreadCpu()
    {
        const string Tasks = "/proc/self/task";
        if (!Directory.Exists(Tasks))
        {
            return TimeSpan.Zero;
        }

        var ticks = 0L;
        foreach (var task in Directory.GetDirectories(Tasks))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(TieredJitThread, StringComparison.Ordinal))
                {
                    continue;
                }

                // Fields after "(comm) ": state is [0], utime [11], stime [12], in clock ticks (USER_HZ = 100).
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                    + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // the thread exited between listing and reading: it no longer costs anything
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
