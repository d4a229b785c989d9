using Microsoft.Coyote.Specifications;

namespace Actorpool.Reliability.Tests.Scheduling;

/// <summary>
/// Systematic interleavings of a spawned task's handle: a worker running it, a caller cancelling it and a
/// joiner joining it all race. Exactly one outcome wins and every observer agrees on it.
/// </summary>
public sealed class TaskHandleCoyoteTests
{
    [Fact(Timeout = 60_000)]
    public async Task RunCancelAndJoin_Racing_ProduceExactlyOneOutcome()
    {
        var report = await Task.Run(() => Coyote.Explore(RunCancelJoin, 2_000));
        Coyote.AssertNoBug(report);
    }

    [Fact(Timeout = 60_000)]
    public async Task TwoJoinersAndACanceller_Racing_AgreeOnTheOutcome()
    {
        var report = await Task.Run(() => Coyote.Explore(TwoJoinersAndCancel, 2_000));
        Coyote.AssertNoBug(report);
    }

    private static async Task RunCancelJoin()
    {
        var bodyRuns = 0;
        var handle = new FuncTaskHandle<int>(() => Interlocked.Increment(ref bodyRuns) * 7);
        var runner = Task.Run(() => handle.RunFromQueue(null!));
        var canceller = Task.Run(handle.Cancel);
        var joiner = Task.Run(() => Outcome(handle));
        var cancelled = await canceller;
        var joined = await joiner;
        await runner;

        Specification.Assert(handle.IsCompleted, "The handle is not completed after run, cancel and join returned.");
        Specification.Assert(bodyRuns == (cancelled ? 0 : 1), $"Body ran {bodyRuns} times, cancel won: {cancelled}.");
        Specification.Assert(joined == (cancelled ? -1 : 7), $"Join saw {joined}, cancel won: {cancelled}.");
        Specification.Assert(handle.IsCanceled == cancelled, "IsCanceled disagrees with Cancel's answer.");
        var task = handle.AsTask();
        Specification.Assert(task.IsCompleted && task.IsCanceled == cancelled, $"AsTask is {task.Status}, cancel won: {cancelled}.");
    }

    private static async Task TwoJoinersAndCancel()
    {
        var bodyRuns = 0;
        var handle = new FuncTaskHandle<int>(() => Interlocked.Increment(ref bodyRuns) * 7);
        var asTask = handle.AsTask();
        var first = Task.Run(() => Outcome(handle));
        var second = Task.Run(() => Outcome(handle));
        var cancelled = await Task.Run(handle.Cancel);
        int[] results = [await first, await second]; // not Task.WhenAll: see WorkDequeCoyoteTests
        try
        {
            await asTask; // its continuations run asynchronously, so wait for it before checking
        }
        catch (OperationCanceledException)
        {
        }

        Specification.Assert(bodyRuns == (cancelled ? 0 : 1), $"Body ran {bodyRuns} times, cancel won: {cancelled}.");
        Specification.Assert(results[0] == results[1], $"Joiners disagree: {results[0]} vs {results[1]}.");
        Specification.Assert(results[0] == (cancelled ? -1 : 7), $"Join saw {results[0]}, cancel won: {cancelled}.");
        Specification.Assert(asTask.IsCompleted && asTask.IsCanceled == cancelled, $"AsTask is {asTask.Status}.");
    }

    private static int Outcome(TaskHandle<int> handle)
    {
        try
        {
            return handle.Join();
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
    }
}
