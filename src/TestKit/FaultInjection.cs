using Actorpool.Actors.Pools;

namespace Actorpool.Testing;

/// <summary>Puts a <see cref="FaultPlan"/> between a pool and its own code, which stays as it is.</summary>
public static class FaultInjection
{
    /// <summary>
    /// Returns <paramref name="options"/> with <c>Init</c>, <c>Handle</c> and <c>HandleAsync</c> wrapped so that they
    /// consult <paramref name="faults"/> first: an <c>Init</c> fault throws instead of building the state, and a job
    /// fault hits the next job message or broadcast before the handler runs. Jobs run through the Task facade see the
    /// plan when submitted through a <see cref="TestPool{TState}"/>. Delays use <c>options.TimeProvider</c> as it is
    /// now: set the clock before calling this.
    /// </summary>
    public static PoolOptions<TState> WithFaults<TState>(this PoolOptions<TState> options, FaultPlan faults)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(faults);
        var init = options.Init ?? throw new ArgumentException("Init must be set before faults are injected into it.", nameof(options));
        var time = options.TimeProvider ?? throw new ArgumentException("TimeProvider must be set: injected delays run on it.", nameof(options));
        var handle = options.Handle;
        var handleAsync = options.HandleAsync;
        return options with
        {
            Init = index =>
            {
                faults.BeforeInit(index);
                return init(index);
            },
            Handle = handle is null ? null : (state, message) =>
            {
                faults.BeforeJob(time);
                return handle(state, message);
            },
            HandleAsync = handleAsync is null ? null : async (state, message, cancellationToken) =>
            {
                await faults.BeforeJobAsync(time, cancellationToken).ConfigureAwait(false);
                return await handleAsync(state, message, cancellationToken).ConfigureAwait(false);
            },
        };
    }
}
