using System.Runtime.ExceptionServices;

namespace Actorpool;

/// <summary>
/// A spawned background task. It ends exactly once: completed, faulted or cancelled. <see cref="Join"/>
/// runs it inline when it has not started, so a joiner never waits for a queue.
/// </summary>
public abstract class TaskHandle
{
    private const int Queued = 0;
    private const int Running = 1;
    private const int Succeeded = 2;
    private const int Faulted = 3;
    private const int Canceled = 4;

    private int _state;                   // Queued → Running → Succeeded/Faulted, or Queued → Canceled (CAS)
    private int _waiters;                 // threads blocked in Join; read by the completer after its fence
    private Exception? _error;            // written by the runner before the state becomes Faulted
    private TaskCompletionSource? _task;  // created at most once by AsTask

    private protected TaskHandle()
    {
    }

    /// <summary>True once the task has completed, failed or been cancelled.</summary>
    public bool IsCompleted => Volatile.Read(ref _state) >= Succeeded;

    /// <summary>True when the task was cancelled before it started.</summary>
    public bool IsCanceled => Volatile.Read(ref _state) == Canceled;

    /// <summary>
    /// Waits for the task and rethrows its exception; if it has not started, runs it inline on the caller.
    /// </summary>
    /// <exception cref="OperationCanceledException">The task was cancelled before it started.</exception>
    public void Join()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Queued) == Queued)
        {
            RunClaimed();
        }

        WaitCompleted();
        ThrowIfFailed();
    }

    /// <summary>
    /// Like <see cref="Join"/> but never blocks: false when the task is running on another thread;
    /// otherwise runs it inline if needed and returns true (rethrowing its failure).
    /// </summary>
    public bool TryJoin()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Queued) == Queued)
        {
            RunClaimed();
        }

        if (!IsCompleted)
        {
            return false;
        }

        ThrowIfFailed();
        return true;
    }

    /// <summary>Cancels the task if it has not started; true when this call cancelled it.</summary>
    public bool Cancel()
    {
        if (Interlocked.CompareExchange(ref _state, Canceled, Queued) != Queued)
        {
            return false;
        }

        Completed();
        return true;
    }

    /// <summary>A Task that completes like this handle (continuations run asynchronously); never runs it inline.</summary>
    public Task AsTask() => EnsureTask().Task;

    /// <summary>Runs the task on a worker that dequeued it, unless it was claimed or cancelled first.</summary>
    internal void RunFromQueue(ThreadContext runner)
    {
        _ = runner;
        if (Interlocked.CompareExchange(ref _state, Running, Queued) == Queued)
        {
            RunClaimed();
        }
    }

    /// <summary>Runs the user's code and stores its result; may throw.</summary>
    private protected abstract void RunBody();

    private protected void ThrowIfFailed()
    {
        switch (Volatile.Read(ref _state))
        {
            case Faulted:
                ExceptionDispatchInfo.Throw(_error!);
                break;
            case Canceled:
                throw new OperationCanceledException("The spawned task was cancelled before it started.");
        }
    }

    private void RunClaimed()
    {
        try
        {
            RunBody();
            Interlocked.Exchange(ref _state, Succeeded);
        }
        catch (Exception ex)
        {
            _error = ex;
            Interlocked.Exchange(ref _state, Faulted);
        }

        Completed();
    }

    // Called once, after the final state is stored with a full fence.
    private void Completed()
    {
        if (Volatile.Read(ref _waiters) != 0)
        {
            lock (this)
            {
                Monitor.PulseAll(this);
            }
        }

        if (Volatile.Read(ref _task) is { } task)
        {
            Complete(task);
        }
    }

    private void WaitCompleted()
    {
        var spinner = default(SpinWait);
        for (var i = 0; i < 50 && !IsCompleted; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        if (IsCompleted)
        {
            return;
        }

        // Announce (full fence), then recheck under the lock the completer takes to pulse.
        Interlocked.Increment(ref _waiters);
        lock (this)
        {
            while (!IsCompleted)
            {
                Monitor.Wait(this);
            }
        }

        Interlocked.Decrement(ref _waiters);
    }

    private TaskCompletionSource EnsureTask()
    {
        var task = Volatile.Read(ref _task);
        if (task is null)
        {
            var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = Interlocked.CompareExchange(ref _task, fresh, null) ?? fresh;
        }

        if (IsCompleted)
        {
            Complete(task);
        }

        return task;
    }

    private void Complete(TaskCompletionSource task)
    {
        switch (Volatile.Read(ref _state))
        {
            case Succeeded:
                task.TrySetResult();
                break;
            case Faulted:
                task.TrySetException(_error!);
                break;
            case Canceled:
                task.TrySetCanceled();
                break;
        }
    }
}
