using Spectre.Console;

namespace OffshoreLedger.Cli.Output;

/// <summary>Spectre consoles over the given writers; plain text unless the writer is a real, capable terminal.</summary>
public static class CliConsole
{
    private const int RedirectedWidth = 160;

    public static IAnsiConsole Create(TextWriter writer, bool isTerminal, IReadOnlyDictionary<string, string?> environment)
    {
        var plain = !isTerminal
            || environment.ContainsKey("NO_COLOR") && !string.IsNullOrEmpty(environment["NO_COLOR"])
            || string.Equals(environment.GetValueOrDefault("TERM"), "dumb", StringComparison.Ordinal);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (!isTerminal)
        {
            // Redirected output has no width of its own; keys and addresses should not wrap mid-hex.
            console.Profile.Width = int.TryParse(environment.GetValueOrDefault("COLUMNS"), out var columns) && columns > 40
                ? columns : RedirectedWidth;
        }

        return console;
    }
}
