namespace Actorpool.Benchmarks.Charts;

/// <summary>
/// One row of a <c>compare --json</c> file, as much of it as the charts draw: <see cref="RatioVsPeer"/> is how many
/// times better the row is than the scenario's best peer (above 1 is better), <c>null</c> where the scenario has no peer.
/// </summary>
public sealed record ResultRow(string Scenario, string System, string Metric, bool IsPeer, double Median, double? RatioVsPeer);
