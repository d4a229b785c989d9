namespace Actorpool.Actors.Messaging;

/// <summary>The control messages that travel down beside the user's messages; internal so they never collide with <c>TDown</c>.</summary>
internal sealed class DownControl
{
    private DownControl(string name) => Name = name;

    public static DownControl Pause { get; } = new("Pause");

    public static DownControl Continue { get; } = new("Continue");

    public static DownControl Stop { get; } = new("Stop");

    public string Name { get; }

    public override string ToString() => Name;
}
