using Actorpool.Actors.Workers;
using Akka.Actor;

namespace Actorpool.Actors.Pools;

/// <summary>The supervisor's view of one worker (supervisor only).</summary>
internal sealed class WorkerEntry(WorkerLink link, IActorRef actor)
{
    public WorkerLink Link { get; } = link;

    public IActorRef Actor { get; } = actor;

    public int Index => Link.Index;

    /// <summary>Jobs handed to the worker and not yet reported done, in the order it runs them.</summary>
    public InFlightJobs InFlight { get; } = new(link);

    /// <summary>The worker built its state and has not failed since.</summary>
    public bool Ready { get; set; }

    /// <summary>Told to retire: gets no new jobs and is not counted as a worker.</summary>
    public bool Retiring { get; set; }

    /// <summary>Told to retire at once (Kill, deadline).</summary>
    public bool RetiringNow { get; set; }

    /// <summary>Kept alive by the scale (Mixed, NoTerm) above the active count: it gets no new job (supervisor only).</summary>
    public bool Inactive { get; set; }

    /// <summary>Its last attempt to build state threw, and it has not built any since (supervisor only).</summary>
    public bool InitFailed { get; set; }

    /// <summary>Restarts since its last job that finished without failing (drives the backoff).</summary>
    public int ConsecutiveRestarts { get; set; }
}
