using Akka.Actor;

namespace Actorpool.Actors.Workers;

/// <summary>
/// The worker a piece of code runs on, available inside a pool's <c>Init</c>, jobs and <c>Handle</c> function:
/// use <see cref="Current"/> to spawn child actors or a nested pool (<c>WorkerContext.Current!.SpawnPool(...)</c>)
/// under that worker in the supervision tree.
/// </summary>
public static class WorkerContext
{
    [ThreadStatic]
    private static IActorContext? _current;

    [ThreadStatic]
    private static int _index;

    /// <summary>The running worker's actor context, or <c>null</c> outside a pool worker.</summary>
    public static IActorContext? Current => _current;

    /// <summary>The running worker's index (0-based), or <c>null</c> outside a pool worker.</summary>
    public static int? Index => _current is null ? null : _index;

    internal static void Enter(IActorContext context, int index)
    {
        _current = context;
        _index = index;
    }

    internal static void Leave() => _current = null;
}
