namespace Actorpool.Dynamic;

/// <summary>The four shapes a <see cref="Scale"/> can take.</summary>
public enum ScaleKind
{
    /// <summary>Exactly <see cref="Scale.Workers"/> workers run; idle threads beyond them end.</summary>
    Active = 0,

    /// <summary><see cref="Scale.Workers"/> workers run and up to <see cref="Scale.MaxInactive"/> idle threads are kept warm.</summary>
    Mixed = 1,

    /// <summary><see cref="Scale.Workers"/> workers run and idle threads never end.</summary>
    NoTerm = 2,

    /// <summary>No worker runs; every thread ends. The run is over.</summary>
    Shutdown = 3,
}
