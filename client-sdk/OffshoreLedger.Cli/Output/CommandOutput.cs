using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace OffshoreLedger.Cli.Output;

/// <summary>Where a command writes its result: a Spectre rendering for people, or one JSON object for scripts.</summary>
public sealed class CommandOutput(IAnsiConsole console, IAnsiConsole error, TextWriter stdout, bool json)
{
    private static readonly JsonSerializerOptions Indented = new()
        { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public IAnsiConsole Console { get; } = console;
    public IAnsiConsole Error { get; } = error;
    public bool Json { get; } = json;

    public void Result(JsonObject result, Action<IAnsiConsole> human)
    {
        if (Json)
        {
            stdout.WriteLine(result.ToJsonString(Indented));
            stdout.Flush();
        }
        else
        {
            human(Console);
        }
    }

    /// <summary>A note for people (progress, hints); never part of the JSON on stdout.</summary>
    public void Note(string markup)
    {
        if (!Json) Console.MarkupLine(markup);
    }
}
