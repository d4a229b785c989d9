using Microsoft.Extensions.Time.Testing;

namespace Actorpool.Actors.Tests.Messaging;

/// <summary>
/// A fake clock (over <see cref="FakeTimeProvider"/>) that can run one action right after the next timestamp is
/// read, to put an event exactly between "RecvBurst read its cutoff" and "RecvBurst took the messages".
/// </summary>
internal sealed class InterleavingClock : TimeProvider
{
    private Action? _afterNextRead;

    public FakeTimeProvider Fake { get; } = new();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public void AfterNextRead(Action action) => _afterNextRead = action;

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp()
    {
        var now = Fake.GetTimestamp();
        var hook = Interlocked.Exchange(ref _afterNextRead, null);
        hook?.Invoke();
        return now;
    }
}
