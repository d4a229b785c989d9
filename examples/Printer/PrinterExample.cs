using Actorpool.Dynamic;

namespace Actorpool.Examples.Printer;

/// <summary>
/// The classic dynpool demo. A printer system grows from 1 to 4 workers, each greeting in its own language, then
/// shuts itself down; then ten function workers greet until a deadline. <see cref="Run"/> is what Program.cs and
/// the example test call.
/// </summary>
public static class PrinterExample
{
    /// <summary>Runs the example to completion, writing what it does to <paramref name="output"/>; returns the exit code.</summary>
    public static int Run(TextWriter output)
    {
        var console = TextWriter.Synchronized(output);

        // 1. A hand-written system: the scale grows one worker every 200 ms and says Shutdown after 800 ms.
        console.WriteLine("printer: scaling from 1 to 4 workers");
        var printer = new GreetingPrinter(console, TimeProvider.System);
        DynamicPool.RunForeground(printer);
        console.WriteLine($"printer: done, {printer.Closed} workers closed");

        // 2. The same idea from combinators: a function worker on 10 threads, shut down after a deadline.
        console.WriteLine("function workers: 10 threads for 500 ms");
        var system = DynamicSystem
            .FunctionWorker(index =>
            {
                var greetings = 0;
                return () =>
                {
                    if (greetings++ < 3)
                    {
                        console.WriteLine($"[function {index}] hi #{greetings}");
                    }

                    Thread.Sleep(50); // stands in for real work
                    return Decision.Again;
                };
            })
            .WithThreads(10)
            .ShutdownAfter(TimeSpan.FromMilliseconds(500));
        var pool = DynamicPool.StartBackground(system);
        pool.Join();
        console.WriteLine("function workers: done");
        return 0;
    }

    /// <summary>Each worker's data is its greeting; the scale follows the time since the system was made.</summary>
    private sealed class GreetingPrinter(TextWriter output, TimeProvider time) : IDynamicSystem<string>
    {
        private static readonly string[] Greetings = ["Hello", "Hola", "Bonjour", "Ciao"];
        private readonly long _start = time.GetTimestamp();
        private int _closed;

        public int Closed => Volatile.Read(ref _closed);

        public string Init(int index) => Greetings[index % Greetings.Length];

        public Decision Work(ref string data)
        {
            output.WriteLine($"[worker {Array.IndexOf(Greetings, data)}] {data}");
            Thread.Sleep(100); // stands in for real work
            return Decision.Again;
        }

        public void Close(string data)
        {
            Interlocked.Increment(ref _closed);
            output.WriteLine($"[worker {Array.IndexOf(Greetings, data)}] {data} -> goodbye");
        }

        public Scale GetScale() => time.GetElapsedTime(_start).TotalMilliseconds switch
        {
            < 200 => Scale.Active(1),
            < 400 => Scale.Active(2),
            < 600 => Scale.Active(3),
            < 800 => Scale.Active(4),
            _ => Scale.Shutdown,
        };
    }
}
