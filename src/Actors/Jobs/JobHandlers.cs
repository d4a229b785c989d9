namespace Actorpool.Actors.Jobs;

/// <summary>
/// What a pool's workers give every job besides the worker's state (one instance per pool): the pool's functions for
/// job messages (<c>Handle</c> or <c>HandleAsync</c>, untyped) and the pool's cut-off token, which the code of message
/// jobs gets (it fires when a kill or a stop deadline cuts running jobs off).
/// </summary>
internal sealed class JobHandlers(
    Func<object?, object, object?>? handle,
    Func<object?, object, CancellationToken, ValueTask<object?>>? handleAsync,
    CancellationToken cutOff)
{
    public Func<object?, object, object?>? Handle { get; } = handle;

    public Func<object?, object, CancellationToken, ValueTask<object?>>? HandleAsync { get; } = handleAsync;

    public CancellationToken CutOff { get; } = cutOff;

    /// <summary>Runs the pool's function on <paramref name="message"/>: its result when it ended here, or its running task.</summary>
    public ValueTask<object?> Run(object? state, object message) =>
        Handle is { } handle ? new ValueTask<object?>(handle(state, message))
        : HandleAsync is { } handleAsync ? handleAsync(state, message, CutOff)
        : throw new NotSupportedException($"The pool has no Handle or HandleAsync function for job message {message.GetType().Name}.");
}
