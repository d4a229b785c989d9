namespace Actorpool.Dynamic;

/// <summary>
/// What a worker asks for after one call of its system's <c>Work</c>.
/// </summary>
public enum Decision
{
    /// <summary>Call <c>Work</c> again, unless rescaling ends this worker first.</summary>
    Again = 0,

    /// <summary>Call <c>Work</c> again at once, skipping the scale check: the worker is in the middle of something.</summary>
    Incomplete = 1,

    /// <summary>Close this worker's data and build it anew with <c>Init</c>, keeping the worker's thread.</summary>
    Restart = 2,
}
