using System.CommandLine;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Cli.Output;
using OffshoreLedger.Client.Connection;

namespace OffshoreLedger.Cli;

/// <summary>
/// One run of the CLI: its writers, environment and global options; runs a command's handler and maps failures to exit codes.
/// </summary>
public sealed class CliSession(
    TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> environment, bool stdoutIsTerminal, bool stderrIsTerminal)
{
    public Option<string> Node { get; } = new("--node")
    {
        Description =
            $"The node's gRPC URL [env {ConnectionSettings.NodeVariable}; config \"node\"; default {ConnectionSettings.DefaultNode}]",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key sent to the node [env {ConnectionSettings.ApiKeyVariable}; config \"apiKey\"]",
        HelpName = "KEY",
        Recursive = true,
    };

    public Option<string> Config { get; } = new("--config")
    {
        Description =
            "A JSON config file {\"node\", \"apiKey\", \"consortiumSecretFile\", \"caFile\", \"allowPlaintextApiKey\"} [default " +
            "$XDG_CONFIG_HOME/offshore-ledger/cli.json or ~/.config/offshore-ledger/cli.json]",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string> CaFile { get; } = new("--ca-file")
    {
        Description =
            "A PEM file of the CA that issued the node's TLS certificate, trusted instead of the system store [env " +
            $"{ConnectionSettings.CaFileVariable}; config \"caFile\"]",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<bool> AllowPlaintextApiKey { get; } = new("--allow-plaintext-api-key")
    {
        Description =
            "Send the API key over http:// to a host that is not loopback (refused otherwise: use https) [env " +
            $"{ConnectionSettings.AllowPlaintextApiKeyVariable}=1; config \"allowPlaintextApiKey\"]",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write one JSON object to stdout instead of tables (errors too, with their exit code)",
        Recursive = true,
    };

    /// <summary>Added only to the commands that can derive keys locally (<c>--local</c>).</summary>
    public Option<string> SecretFile { get; } = new("--secret-file")
    {
        Description =
            $"The consortium secret (hex), for --local [env {ConnectionSettings.SecretFileVariable}; config \"consortiumSecretFile\"]",
        HelpName = "FILE",
    };

    public IReadOnlyDictionary<string, string?> Environment { get; } = environment;

    public Func<ParseResult, CancellationToken, Task<int>> Handle(Func<CommandContext, CancellationToken, Task<int>> handler) =>
        async (parse, cancellationToken) =>
        {
            var output = new CommandOutput(
                CliConsole.Create(stdout, stdoutIsTerminal, Environment), CliConsole.Create(stderr, stderrIsTerminal, Environment), stdout,
                parse.GetValue(Json));
            using var context = new CommandContext(this, parse, output);
            try
            {
                return await handler(context, cancellationToken);
            }
            catch (Exception ex)
            {
                return ErrorReport.Write(ex, output, cancellationToken);
            }
        };
}

/// <summary>What a command's handler works with: its parsed values, output, connection settings and client.</summary>
public sealed class CommandContext(CliSession session, ParseResult parse, CommandOutput output) : IDisposable
{
    private ConnectionSettings? _settings;
    private LedgerClient? _client;

    public CommandOutput Output { get; } = output;

    public T? Get<T>(Option<T> option) => parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => parse.GetValue(argument);

    public ConnectionSettings Settings => _settings ??= ConnectionSettings.Resolve(
        parse.GetValue(session.Node), parse.GetValue(session.ApiKey), parse.GetValue(session.Config),
        parse.GetResult(session.SecretFile) is null ? null : parse.GetValue(session.SecretFile), session.Environment,
        parse.GetValue(session.CaFile), parse.GetValue(session.AllowPlaintextApiKey));

    public LedgerClient Client => _client ??= Connect(Settings);

    private MemberLabels? _labels;

    /// <summary>Names for the addresses a table shows, from the node's member directory (read once per command).</summary>
    public async Task<MemberLabels> LabelsAsync(CancellationToken cancellationToken) =>
        _labels ??= await MemberLabels.LoadAsync(Client, cancellationToken);

    public void Dispose() => _client?.Dispose();

    private static LedgerClient Connect(ConnectionSettings settings)
    {
        try
        {
            return new LedgerClient(new LedgerClientOptions
            {
                Address = settings.Node, ApiKey = settings.ApiKey, CertificateAuthorityFile = settings.CaFile,
                AllowApiKeyOverPlaintext = settings.AllowPlaintextApiKey,
            });
        }
        catch (PlaintextApiKeyException)
        {
            throw new CliInputException(
                $"--node: refusing to send the API key in clear text to {settings.Node}, which is not this machine: use an https:// URL " +
                    "(with --ca-file for a private CA), "
                + $"or pass --allow-plaintext-api-key ({ConnectionSettings.AllowPlaintextApiKeyVariable}=1, config " +
                    "\"allowPlaintextApiKey\": true) if the network is trusted");
        }
        catch (ArgumentException ex) when (settings.CaFile is not null)
        {
            throw new CliInputException($"--ca-file: {ex.Message}");
        }
    }
}
