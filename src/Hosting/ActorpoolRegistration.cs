using Actorpool.Hosting.Pools;
using Akka.Actor;

namespace Actorpool.Hosting;

/// <summary>
/// What the builder collected, kept as one instance in the service collection so that a second
/// <c>AddActorpool</c> call finds and extends it instead of registering everything again.
/// </summary>
internal sealed class ActorpoolRegistration
{
    /// <summary>Configuration sections already bound (case-insensitive, as configuration keys are).</summary>
    public HashSet<string> BoundSections { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The first bound section, used to name keys in validation messages.</summary>
    public string SectionName => BoundSections.FirstOrDefault() ?? ActorpoolDefaults.SectionName;

    /// <summary>An application-owned actor system to join; <c>null</c> = look for an ActorSystem service, else create one.</summary>
    public Func<IServiceProvider, ActorSystem>? SystemFactory { get; set; }

    /// <summary>Registered pools in registration order (the order they start in).</summary>
    public List<IHostedPool> Pools { get; } = [];

    /// <summary>The pool named <paramref name="name"/> (case-insensitive, as configuration keys are), or <c>null</c>.</summary>
    public IHostedPool? Find(string name) => Pools.Find(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
