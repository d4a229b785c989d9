using Akka.Actor;

namespace Actorpool.Actors.Messaging;

/// <summary>
/// An up/down pool whose workers are actors, children of the pool's actor <see cref="Ref"/>: each worker is
/// built from <c>init(index)</c> and handles one down message at a time. A worker that throws is judged by
/// <see cref="UpDownOptions.Panic"/> (Respawn builds fresh state, Resume keeps it, Kill stops every worker);
/// every failure is reported at stop.
/// </summary>
public sealed class ActorUpDownPool<TDown, TUp> : UpDownPool<TDown, TUp>
{
    private readonly Host _host;
    private int _generation; // bumped when a stop completes, so a new worker never reuses a dying worker's name

    internal ActorUpDownPool(IActorRefFactory factory, UpDownOptions options)
        : base(options)
    {
        _host = new Host(this);
        Ref = factory.ActorOf(Props.Create(() => new UpDownSupervisor<TUp>(_host, options.Panic, options.TimeProvider)), Name);
    }

    /// <summary>
    /// The pool's actor. An actor manager sends it <see cref="RequestUpBurst.Instance"/> and gets one
    /// <see cref="UpBurst{TUp}"/> back, with the cutoff taken when the request is handled.
    /// </summary>
    public IActorRef Ref { get; }

    /// <summary>
    /// Adds a worker actor and returns its index. <paramref name="init"/> builds its state (again after a respawn;
    /// a state that is <see cref="IDisposable"/> is disposed when replaced or stopped); <paramref name="onDown"/>
    /// handles each down message and may await <see cref="UpLink{TUp}.SendUpAsync"/>, which suspends the
    /// worker (not a thread) while the up-queue is full. After an await the handler runs off the actor's thread,
    /// still one message at a time; it must not use Akka's <c>Context</c> there.
    /// </summary>
    /// <exception cref="InvalidOperationException">A stop is in progress.</exception>
    public int AddWorker<TState>(Func<int, TState> init, Func<TState, TDown, UpLink<TUp>, ValueTask> onDown)
    {
        ArgumentNullException.ThrowIfNull(init);
        ArgumentNullException.ThrowIfNull(onDown);
        return ReserveWorker(index =>
        {
            var context = new UpLink<TUp>(index, Queue, Options.TimeProvider);
            var delay = new RestartDelay(Options.TimeProvider);
            var props = Props.Create(() => new UpDownWorkerActor<TState, TDown, TUp>(init, onDown, context, delay));
            Ref.Tell(new UpDownSupervisor<TUp>.SpawnWorker(index, Volatile.Read(ref _generation), props, delay));
        });
    }

    /// <summary>Adds a stateless worker actor and returns its index; see <see cref="AddWorker{TState}"/>.</summary>
    public int AddWorker(Func<TDown, UpLink<TUp>, ValueTask> onDown)
    {
        ArgumentNullException.ThrowIfNull(onDown);
        return AddWorker<object?>(static _ => null, (_, message, context) => onDown(message, context));
    }

    private protected override void Post(int index, object message) => Ref.Tell(new UpDownSupervisor<TUp>.ToWorker(index, message));

    private protected override void PostAll(object message) => Ref.Tell(new UpDownSupervisor<TUp>.ToAll(message));

    private protected override void OnGenerationEnded() => _generation++;

    private protected override async ValueTask DisposeCoreAsync() =>
        await Ref.GracefulStop(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

    private sealed class Host(ActorUpDownPool<TDown, TUp> pool) : IUpDownHost<TUp>
    {
        public void RecordFailure(Exception failure) => pool.RecordFailure(failure);

        public void WorkerEnded() => pool.Queue.WorkerEnded();

        public UpBurst<TUp> Burst()
        {
            var cutoff = pool.Options.TimeProvider.GetTimestamp();
            var messages = new List<UpMessage<TUp>>();
            pool.Queue.Take(cutoff, int.MaxValue, messages);
            return new UpBurst<TUp>(messages, cutoff);
        }
    }
}
