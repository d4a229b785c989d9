using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Actorpool;

/// <summary>
/// Join on a thread that belongs to the pool (a worker, or an external thread inside its leased Join): push the
/// second half for thieves, run the first, then take the second back or help with the thief's subtree until it is
/// done. Also the helpers every Join shares (running both halves inline, rethrowing) and JoinAll's tree.
/// </summary>
internal static class Joins
{
    /// <summary>Join on <paramref name="self"/>, the calling thread's context in <paramref name="pool"/>; rethrows as the pool's Join does.</summary>
    internal static void JoinOn<TA, TB>(WorkStealingPool pool, ThreadContext self, ref TA a, ref TB b)
        where TA : struct, IJob
        where TB : struct, IJob
    {
        // Lazy splitting: while an older job of ours waits to be stolen, a new one would only add a push,
        // a fenced pop and a frame to a job nobody takes.
        if (self.Deque.HasStealable)
        {
            RunBothInline(ref a, ref b);
            return;
        }

        var frame = JoinFrame<TB>.Rent(self);
        frame.Work = b;
        if (!self.Deque.TryPush(frame))
        {
            frame.Return(self);
            RunBothInline(ref a, ref b);
            return;
        }

        IdleWorkers.NotifyForegroundPush(pool);

        // An owner waiting for the frame we run helps only with our deque; if it sleeps, this push is for it.
        self.RunningStolen?.WakeSleepingOwner();
        var errorA = RunCapturing(ref a);
        Exception? errorB;

        // Everything pushed while a ran has been resolved, so the bottom is our frame or it was stolen.
        var popped = self.Deque.Pop();
        AssertOwnFrame(popped, frame);
        if (popped is not null)
        {
            errorB = RunCapturing(ref b);
        }
        else
        {
            WaitForStolen(self, frame);
            b = frame.Work;
            errorB = frame.Error;
        }

        frame.Return(self);
        if (errorA is not null || errorB is not null)
        {
            Rethrow(errorA, errorB);
        }
    }

    /// <summary>Runs every action as a balanced tree of Joins; the pool's JoinAll checked the arguments.</summary>
    internal static void JoinAll(WorkStealingPool pool, Action[] actions)
    {
        var job = new JoinAllJob(pool, actions, 0, actions.Length);
        RunFlattened(ref job);
    }

    /// <summary>Runs every function as a balanced tree of Joins and returns their results in argument order.</summary>
    internal static T[] JoinAll<T>(WorkStealingPool pool, Func<T>[] functions)
    {
        var results = new T[functions.Length];
        var actions = new Action[functions.Length];
        for (var i = 0; i < functions.Length; i++)
        {
            var index = i;
            actions[i] = () => results[index] = functions[index]();
        }

        JoinAll(pool, actions);
        return results;
    }

    /// <summary>Runs a job tree and flattens nested AggregateExceptions from inner Joins into one.</summary>
    internal static void RunFlattened<TJob>(ref TJob job)
        where TJob : struct, IJob
    {
        try
        {
            job.Run();
        }
        catch (AggregateException ex)
        {
            throw ex.Flatten();
        }
    }

    /// <summary>Invariant of the LIFO discipline: what the owner pops after its first half is its own frame or nothing.</summary>
    [Conditional("DEBUG")]
    internal static void AssertOwnFrame(Job? popped, Job frame) =>
        Debug.Assert(popped is null || ReferenceEquals(popped, frame), "Join popped a job that is not its own frame.");

    /// <summary>Runs both jobs on this thread, in order; both run even when the first throws, then rethrows as Join does.</summary>
    internal static void RunBothInline<TA, TB>(ref TA a, ref TB b)
        where TA : struct, IJob
        where TB : struct, IJob
    {
        var errorA = RunCapturing(ref a);
        var errorB = RunCapturing(ref b);
        if (errorA is not null || errorB is not null)
        {
            Rethrow(errorA, errorB);
        }
    }

    /// <summary>Runs <paramref name="job"/> and returns what it threw (null when it returned).</summary>
    private static Exception? RunCapturing<T>(ref T job)
        where T : struct, IJob
    {
        try
        {
            job.Run();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static void Rethrow(Exception? a, Exception? b)
    {
        if (a is not null && b is not null)
        {
            throw new AggregateException(a, b);
        }

        ExceptionDispatchInfo.Throw(a ?? b!);
    }

    /// <summary>
    /// Waits for a stolen frame, helping only with its subtree: the thief's deque holds nothing but the
    /// descendants of the frame while it runs it (a thief steals only with an empty deque). Spins on that,
    /// then sleeps on the frame with a short timeout so it keeps helping a long subtree.
    /// </summary>
    private static void WaitForStolen<TB>(ThreadContext self, JoinFrame<TB> frame)
        where TB : struct, IJob
    {
        var idleSpins = 0;
        while (!frame.IsDone)
        {
            var thief = Volatile.Read(ref frame.Thief);
            if (thief is not null && thief.Deque.Steal() is { } job)
            {
                job.Execute(self);
                idleSpins = 0;
                continue;
            }

            if (++idleSpins < 200)
            {
                Thread.SpinWait(20);
                continue;
            }

            if (frame.AnnounceSleep(self.Parker))
            {
                self.Parker.Wait(TimeSpan.FromMilliseconds(1));
            }

            idleSpins = 100;
        }
    }

    /// <summary>JoinAll over actions[from..to): split in halves, each half a Join.</summary>
    private struct JoinAllJob(WorkStealingPool pool, Action[] actions, int from, int to) : IJob
    {
        public readonly void Run()
        {
            var count = to - from;
            if (count <= 0)
            {
                return;
            }

            if (count == 1)
            {
                actions[from]();
                return;
            }

            var mid = from + (count / 2);
            var left = new JoinAllJob(pool, actions, from, mid);
            var right = new JoinAllJob(pool, actions, mid, to);
            pool.Join(ref left, ref right);
        }
    }
}
