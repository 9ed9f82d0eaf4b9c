using System.Collections;
using System.CommandLine;
using System.CommandLine.Help;
using OffshoreLedger.Cli.Commands;

namespace OffshoreLedger.Cli;

/// <summary>The <c>offshore</c> command line, callable in-process: give it the arguments, writers and environment.</summary>
public static class CliApp
{
    public const string Name = "offshore";

    public static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        environment ??= CurrentEnvironment();
        var session = new CliSession(
            stdout, stderr, environment,
            stdoutIsTerminal: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected,
            stderrIsTerminal: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
        var root = Build(session);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.CommandResult.Command.Subcommands.Count > 0 && parse.CommandResult.Command.Action is null)
        {
            // A group named without its command ("offshore bank"): show what it offers.
            await root.Parse([.. CommandPath(parse.CommandResult.Command).Skip(1), "--help"])
                .InvokeAsync(new InvocationConfiguration { Output = stderr }, ct);
            return ExitCodes.InvalidInput;
        }

        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
            await stderr.WriteLineAsync($"See '{string.Join(' ', CommandPath(parse.CommandResult.Command))} --help'.");
            return ExitCodes.InvalidInput;
        }

        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            // The host (Program.cs) owns Ctrl-C; in-process callers pass their own token.
            ProcessTerminationTimeout = null,
        }, ct);
    }

    public static Command Build(CliSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var root = new Command(
            Name, "OffshoreLedger from the command line: one tool for traders, banks, ports and auditors.\n\n" + ExitCodes.HelpText)
        {
            new HelpOption(),
            new VersionOption(),
            session.Node,
            session.ApiKey,
            session.Config,
            session.CaFile,
            session.AllowPlaintextApiKey,
            session.Json,
        };
        root.Add(CarrierCommands.Build(session));
        root.Add(TraderCommands.Build(session));
        root.Add(BankCommands.Build(session));
        root.Add(PortCommands.Build(session));
        root.Add(AuditorCommands.Build(session));
        root.Add(NodeCommands.Build(session));
        root.Add(AdminCommands.Build(session));
        return root;
    }

    private static IEnumerable<string> CommandPath(Command command)
    {
        var path = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault()) path.Insert(0, c.Name);
        return path;
    }

    private static Dictionary<string, string?> CurrentEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
