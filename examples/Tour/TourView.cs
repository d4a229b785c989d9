using Spectre.Console;

namespace Actorpool.Examples.Tour;

/// <summary>
/// Where the tour reports what it does. Interactive consoles get a live table (one row per stage, redrawn about ten
/// times a second); any other console gets plain lines, no escape codes. Stages call <see cref="Status"/> (live
/// only: changes too often for a log) and <see cref="Log"/> (a milestone: a plain line, and the live table's last
/// line).
/// </summary>
internal sealed class TourView
{
    private readonly object _gate = new();
    private readonly TextWriter _plain;

    // Written by the stages under _gate, read by the render loop under _gate.
    private readonly Dictionary<string, (string Status, string Detail)> _rows = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Queue<string> _recent = new();

    public TourView(IAnsiConsole console)
    {
        Console = console;
        Live = console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
        _plain = console.Profile.Out.Writer;
    }

    public IAnsiConsole Console { get; }

    /// <summary><c>true</c>: a live table is drawn; <c>false</c>: plain lines only.</summary>
    public bool Live { get; }

    /// <summary>Sets a stage's row in the live table (ignored in plain mode).</summary>
    public void Status(string stage, string status, string detail)
    {
        lock (_gate)
        {
            if (!_rows.ContainsKey(stage))
            {
                _order.Add(stage);
            }

            _rows[stage] = (status, detail);
        }
    }

    /// <summary>A milestone: one plain line, or the newest of the live table's recent lines.</summary>
    public void Log(string line)
    {
        if (!Live)
        {
            lock (_gate)
            {
                _plain.WriteLine(line);
            }

            return;
        }

        lock (_gate)
        {
            _recent.Enqueue(line);
            while (_recent.Count > 6)
            {
                _recent.Dequeue();
            }
        }
    }

    /// <summary>Writes a line outside the live region (after it ended, or in plain mode).</summary>
    public void Line(string line)
    {
        lock (_gate)
        {
            _plain.WriteLine(line);
        }
    }

    /// <summary>Runs <paramref name="work"/>, redrawing the live table while it runs (or just runs it in plain mode).</summary>
    public T Run<T>(Func<Task<T>> work)
    {
        if (!Live)
        {
            return work().GetAwaiter().GetResult();
        }

        T result = default!;
        Console.Live(Render()).AutoClear(false).Start(context =>
        {
            var task = Task.Run(work);
            while (!task.Wait(TimeSpan.FromMilliseconds(100)))
            {
                context.UpdateTarget(Render());
                context.Refresh();
            }

            context.UpdateTarget(Render());
            context.Refresh();
            result = task.GetAwaiter().GetResult();
        });
        return result;
    }

    private Rows Render()
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Actorpool tour[/]");
        table.AddColumn("stage");
        table.AddColumn("status");
        table.AddColumn("what is happening");
        string[] recent;
        lock (_gate)
        {
            foreach (var stage in _order)
            {
                var (status, detail) = _rows[stage];
                var colour = status switch
                {
                    "done" => "green",
                    "running" => "yellow",
                    _ => "grey",
                };
                table.AddRow(new Markup($"[bold]{Markup.Escape(stage)}[/]"), new Markup($"[{colour}]{Markup.Escape(status)}[/]"), new Text(detail));
            }

            recent = [.. _recent];
        }

        var log = new Rows(recent.Select(line => (Spectre.Console.Rendering.IRenderable)new Markup($"[grey]{Markup.Escape(line)}[/]")));
        return new Rows(table, log);
    }
}
