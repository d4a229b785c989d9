using Akka.Actor;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// An actor worker: state from <c>init(index)</c>, one handler call per down message. Pause stashes down messages
/// until Continue; Stop ends the actor even while paused. A handler that has to wait for up-queue room returns a
/// pending task, and the mailbox stays suspended (RunTask) until it completes: that is the credit-based flow control.
/// </summary>
internal sealed class UpDownWorkerActor<TState, TDown, TUp> : UntypedActor, IWithUnboundedStash
{
    private readonly Func<TState, TDown, WorkerContext<TUp>, ValueTask> _onDown;
    private readonly WorkerContext<TUp> _context;
    private readonly TState _state; // built in the constructor, so a respawn (a new instance) gets fresh state
    private bool _paused;

    public UpDownWorkerActor(Func<int, TState> init, Func<TState, TDown, WorkerContext<TUp>, ValueTask> onDown, WorkerContext<TUp> context)
    {
        _onDown = onDown;
        _context = context;
        _state = init(context.Index);
    }

    public IStash Stash { get; set; } = null!;

    protected override void OnReceive(object message)
    {
        if (ReferenceEquals(message, DownControl.Stop))
        {
            Context.Stop(Self);
        }
        else if (ReferenceEquals(message, DownControl.Pause))
        {
            _paused = true;
        }
        else if (ReferenceEquals(message, DownControl.Continue))
        {
            if (_paused)
            {
                _paused = false;
                Stash.UnstashAll();
            }
        }
        else if (message is TDown down)
        {
            if (_paused)
            {
                Stash.Stash();
                return;
            }

            var pending = _onDown(_state, down, _context);
            if (pending.IsCompleted)
            {
                pending.GetAwaiter().GetResult(); // rethrows a synchronous failure to the supervisor
            }
            else
            {
                // The handler continues off the actor's thread after its await; the suspended mailbox keeps the
                // actor from running anything else meanwhile, and a fault comes back here to the supervisor.
                var task = pending.AsTask();
                RunTask(() => task);
            }
        }
        else
        {
            Unhandled(message);
        }
    }

    protected override void PreRestart(Exception reason, object message) => Close();

    protected override void PostStop() => Close();

    private void Close()
    {
        if (_state is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
