using Actorpool.Actors.Workers;
using Akka.Actor;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// An actor worker: state from <c>init(index)</c>, one handler call per down message. Pause stashes down messages
/// until Continue; Stop ends the actor even while paused. A handler that has to wait for up-queue room returns a
/// pending task, and the mailbox stays suspended (RunTask) until it completes: that is the credit-based flow control.
/// Its state is built by a message to itself, after the backoff its supervisor chose for a restart (a timer, never a
/// blocked thread); down messages that arrive first wait in the stash, and so does a Stop that arrives before a
/// first start has built the state, so that it ends the worker after the messages sent ahead of it.
/// </summary>
internal sealed class UpDownWorkerActor<TState, TDown, TUp> : UntypedActor, IWithUnboundedStash
{
    private readonly Func<int, TState> _init;
    private readonly Func<TState, TDown, UpLink<TUp>, ValueTask> _onDown;
    private readonly UpLink<TUp> _context;
    private readonly RestartDelay _delay;
    private TState _state = default!; // built on InitNow by each instance, so a respawn (a new instance) gets fresh state
    private bool _ready;
    private bool _paused;
    private bool _stopHeld; // a Stop that arrived before the first InitNow sits in the stash behind the down messages
    private ITimer? _backoff;

    public UpDownWorkerActor(Func<int, TState> init, Func<TState, TDown, UpLink<TUp>, ValueTask> onDown, UpLink<TUp> context, RestartDelay delay)
    {
        _init = init;
        _onDown = onDown;
        _context = context;
        _delay = delay;
    }

    public IStash Stash { get; set; } = null!;

    protected override void PreStart()
    {
        var wait = _delay.TakeRemaining();
        if (wait <= TimeSpan.Zero)
        {
            Self.Tell(InitNow.Instance);
        }
        else
        {
            _backoff = _context.Time.CreateTimer(static s => ((IActorRef)s!).Tell(InitNow.Instance), Self, wait, Timeout.InfiniteTimeSpan);
        }
    }

    protected override void OnReceive(object message)
    {
        if (message is InitNow)
        {
            if (!_ready)
            {
                try
                {
                    _state = _init(_context.Index);
                }
                catch (Exception ex)
                {
                    throw new WorkerInitException(_context.Index, ex);
                }

                _ready = true;
                if (!_paused)
                {
                    Stash.UnstashAll();
                }
            }
        }
        else if (ReferenceEquals(message, DownControl.Stop))
        {
            if (!_ready && !_paused && _backoff is null)
            {
                // A first start: InitNow is queued (PreStart told it), and a Stop sent right after down messages can
                // arrive before the actor first ran, i.e. ahead of InitNow. Held here, the Stop follows the down
                // messages it came after; a worker waiting out a restart backoff, or paused, still ends at once.
                _stopHeld = true;
                Stash.Stash();
                return;
            }

            Context.Stop(Self);
        }
        else if (ReferenceEquals(message, DownControl.Pause))
        {
            // A held Stop would wait behind the pause: Stop ends a paused worker at once, as documented.
            if (_stopHeld)
            {
                Context.Stop(Self);
                return;
            }

            _paused = true;
        }
        else if (ReferenceEquals(message, DownControl.Continue))
        {
            if (_paused)
            {
                _paused = false;
                if (_ready)
                {
                    Stash.UnstashAll();
                }
            }
        }
        else if (message is TDown down)
        {
            if (_paused || !_ready)
            {
                Stash.Stash();
                return;
            }

            var pending = _onDown(_state, down, _context);
            if (pending.IsCompleted)
            {
                pending.GetAwaiter().GetResult(); // rethrows a synchronous failure to the supervisor
                _delay.Succeeded();
            }
            else
            {
                // The handler continues off the actor's thread after its await; the suspended mailbox keeps the
                // actor from running anything else meanwhile, and a fault comes back here to the supervisor.
                var task = pending.AsTask();
                RunTask(async () =>
                {
                    await task.ConfigureAwait(false);
                    _delay.Succeeded();
                });
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
        _backoff?.Dispose();
        _backoff = null;
        if (!_ready)
        {
            return;
        }

        _ready = false;
        if (_state is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
