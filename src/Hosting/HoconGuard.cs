using Akka.Configuration;

namespace Actorpool.Hosting;

/// <summary>
/// Parses user HOCON without letting Akka's parser hang the host start. Akka.NET 1.5's parser loops forever on some
/// malformed lists (a stray <c>}</c>, <c>=</c> or <c>:</c> directly inside <c>[ … ]</c>, e.g. <c>a = [ 1 }</c>), so
/// those shapes are rejected by a scan first, and the parse itself runs on a background thread with a time limit
/// as a backstop for shapes the scan does not know.
/// </summary>
internal static class HoconGuard
{
    /// <summary>How long a parse may take before the input is reported as one the parser cannot finish.</summary>
    public static readonly TimeSpan ParseLimit = TimeSpan.FromSeconds(10);

    /// <summary>Parses <paramref name="hocon"/>; throws <see cref="FormatException"/> describing the first problem.</summary>
    public static Config Parse(string hocon)
    {
        if (FindListProblem(hocon) is { } problem)
        {
            throw new FormatException(problem);
        }

        Config? parsed = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                parsed = ConfigurationFactory.ParseString(hocon);
            }
            catch (Exception e)
            {
                error = e;
            }
        })
        {
            IsBackground = true,
            Name = "actorpool-hocon-parse",
        };
        thread.Start();
        if (!thread.Join(ParseLimit))
        {
            // The parser thread cannot be stopped; it is a background thread, so it does not keep the process alive.
            throw new FormatException($"Akka's HOCON parser did not finish within {ParseLimit.TotalSeconds:0} s (it loops on some malformed input).");
        }

        return error is null ? parsed! : throw new FormatException(error.Message, error);
    }

    /// <summary>The first character that Akka's parser would loop on, described with its line and column; null when none.</summary>
    internal static string? FindListProblem(string hocon)
    {
        var open = new Stack<char>();
        int line = 1, column = 0;
        for (var i = 0; i < hocon.Length; i++)
        {
            var c = hocon[i];
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
                continue;
            }

            if (c == '"')
            {
                i = SkipString(hocon, i, ref line, ref column);
                continue;
            }

            if (c == '#' || (c == '/' && i + 1 < hocon.Length && hocon[i + 1] == '/'))
            {
                while (i + 1 < hocon.Length && hocon[i + 1] != '\n')
                {
                    i++;
                }

                continue;
            }

            var inList = open.Count > 0 && open.Peek() == '[';
            switch (c)
            {
                case '{' or '[':
                    open.Push(c);
                    break;
                case ']' when inList:
                case '}' when open.Count > 0 && open.Peek() == '{':
                    open.Pop();
                    break;
                case '}' or '=' or ':' when inList:
                    return $"unexpected '{c}' inside a list at line {line}, column {column}";
            }
        }

        return null;
    }

    /// <summary>Returns the index of the closing quote of the string starting at <paramref name="start"/> (or the last index).</summary>
    private static int SkipString(string text, int start, ref int line, ref int column)
    {
        var triple = start + 2 < text.Length && text[start + 1] == '"' && text[start + 2] == '"';
        var i = triple ? start + 3 : start + 1;
        column += i - start - 1;
        for (; i < text.Length; i++)
        {
            column++;
            if (text[i] == '\n')
            {
                line++;
                column = 0;
            }
            else if (!triple && text[i] == '\\')
            {
                i++;
                column++;
            }
            else if (text[i] == '"' && (!triple || (i + 2 < text.Length && text[i + 1] == '"' && text[i + 2] == '"')))
            {
                if (triple)
                {
                    i += 2;
                    column += 2;
                }

                return i;
            }
        }

        return text.Length - 1;
    }
}
