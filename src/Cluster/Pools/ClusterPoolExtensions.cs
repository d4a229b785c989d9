using Actorpool.Actors.Jobs;
using Actorpool.Cluster.Front;
using Actorpool.Cluster.Nodes;
using Actorpool.Cluster.Protocol;
using Akka.Actor;

namespace Actorpool.Cluster.Pools;

/// <summary>Spawns cluster pools.</summary>
public static class ClusterPoolExtensions
{
    /// <summary>
    /// Starts this node's part of the cluster pool <paramref name="options"/> defines (call it on every node, with the
    /// same definition): a submitter, and the node's workers when it has the pool's role. Binds the job and result
    /// types to Akka's Newtonsoft.Json serializer, and hooks the node's CoordinatedShutdown so that a leaving node
    /// first finishes the jobs submitted on it, then the jobs its workers hold.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it), or a cluster pool of that name already runs on this node.</exception>
    /// <exception cref="InvalidOperationException">The actor system is not a cluster node (<c>akka.actor.provider = cluster</c>).</exception>
    public static ClusterPool<TJob, TResult> SpawnClusterPool<TState, TJob, TResult>(this ActorSystem system, ClusterPoolOptions<TState, TJob, TResult> options)
        where TJob : notnull
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (system is not ExtendedActorSystem extended || extended.Provider is not Akka.Cluster.ClusterActorRefProvider)
        {
            throw new InvalidOperationException($"Cluster pool '{options.Name}' needs a cluster node: set akka.actor.provider = cluster for actor system '{system.Name}'.");
        }

        Payloads.Register(extended, typeof(TJob), typeof(TResult));
        var jobs = new PayloadCodec(extended, typeof(TJob));
        var results = new PayloadCodec(extended, typeof(TResult));
        UndeliveredJobs.EnsureListening(system);
        var cluster = Akka.Cluster.Cluster.Get(system);
        var node = cluster.SelfAddress.ToString();
        var frontName = "actorpool-cluster-" + options.Name;
        var intake = new FrontIntake(options.Backlog, new FrontCounters(options.Name, node), options.Name);
        IActorRef front;
        try
        {
            front = system.ActorOf(Props.Create(() => new ClusterFront(intake, jobs, results, options.Name, node, options.Backlog, options.Delivery, options.CreditPerWorker)), frontName);
        }
        catch (InvalidActorNameException e)
        {
            throw new ArgumentException($"A cluster pool named '{options.Name}' already runs on node {node}.", nameof(options), e);
        }

        intake.Front = front;
        IActorRef? agent = null;
        var agentStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (options.Role is null || cluster.SelfRoles.Contains(options.Role))
        {
            agent = system.ActorOf(Props.Create(() => new NodeAgent<TState, TJob, TResult>(options, jobs, results, frontName, agentStopped)), frontName + "-node");
        }
        else
        {
            agentStopped.TrySetResult();
        }

        var pool = new ClusterPool<TJob, TResult>(jobs, options.Name, node, intake, agent, agentStopped.Task, options.StopDeadline);
        var shutdown = CoordinatedShutdown.Get(system);

        // The jobs submitted here finish first, while every node still runs (they may run on this one too)...
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceRequestsDone, frontName + "-drain", async () =>
        {
            if (!intake.IsClosed)
            {
                var reply = new TaskCompletionSource<Actorpool.Actors.Pools.PoolStopReport>(TaskCreationOptions.RunContinuationsAsynchronously);
                front.Tell(new StopFront(true, options.StopDeadline, reply));
                await Task.WhenAny(reply.Task, intake.Completion).ConfigureAwait(false);
            }

            return Akka.Done.Instance;
        });

        // ...then this node's workers finish what they hold for other nodes, before the node leaves the cluster.
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, frontName + "-leave", async () =>
        {
            await pool.StopWorkersAsync(options.StopDeadline).ConfigureAwait(false);
            return Akka.Done.Instance;
        });

        return pool;
    }
}
