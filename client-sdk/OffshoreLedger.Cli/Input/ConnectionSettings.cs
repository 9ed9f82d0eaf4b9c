using System.Text.Json;
using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Cli.Input;

/// <summary>
/// Where the node is, the API key, the consortium secret file, the CA to trust for TLS, and whether an API key may go
/// over plaintext to another machine. Each comes from a flag, else an environment variable, else the config file, in
/// that order.
/// </summary>
public sealed record ConnectionSettings(Uri Node, string? ApiKey, string? ConsortiumSecretFile)
{
    /// <summary>A PEM file of the CA that issued the node's TLS certificate (e.g. the devnet's development CA).</summary>
    public string? CaFile { get; init; }

    /// <summary>Send the API key over http:// to a host that is not loopback (refused unless asked for).</summary>
    public bool AllowPlaintextApiKey { get; init; }

    public const string DefaultNode = "http://127.0.0.1:50051";
    public const string NodeVariable = "OFFSHORE_NODE";
    public const string ApiKeyVariable = "OFFSHORE_API_KEY";
    public const string SecretFileVariable = "OFFSHORE_SECRET_FILE";
    public const string CaFileVariable = "OFFSHORE_CA_FILE";
    public const string AllowPlaintextApiKeyVariable = "OFFSHORE_ALLOW_PLAINTEXT_API_KEY";

    public static ConnectionSettings Resolve(
        string? nodeFlag, string? apiKeyFlag, string? configFlag, string? secretFileFlag, IReadOnlyDictionary<string, string?> environment,
        string? caFileFlag = null, bool allowPlaintextApiKeyFlag = false)
    {
        var file = ConfigFile.Load(configFlag, environment);
        var node = First(nodeFlag, Variable(environment, NodeVariable), file?.Node) ?? DefaultNode;
        if (!Uri.TryCreate(node, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliInputException($"--node: '{node}' is not an http:// or https:// URL");
        }

        var allowPlaintext = allowPlaintextApiKeyFlag
            || (Variable(environment, AllowPlaintextApiKeyVariable) is { } variable
                ? variable is "1" or "true" or "yes" : file?.AllowPlaintextApiKey == true);
        return new ConnectionSettings(
            uri,
            First(apiKeyFlag, Variable(environment, ApiKeyVariable), file?.ApiKey),
            First(secretFileFlag, Variable(environment, SecretFileVariable), file?.ConsortiumSecretFile))
        {
            CaFile = First(caFileFlag, Variable(environment, CaFileVariable), file?.CaFile),
            AllowPlaintextApiKey = allowPlaintext,
        };
    }

    /// <summary>The consortium secret, for deriving collateral keys here instead of sending documents.</summary>
    public ConsortiumSecret LoadConsortiumSecret()
    {
        if (ConsortiumSecretFile is null)
        {
            throw new CliInputException(
                $"--local needs the consortium secret: give --secret-file FILE, {SecretFileVariable}, or \"consortiumSecretFile\" in the " +
                    "config file");
        }

        try
        {
            return ConsortiumSecret.FromHex(File.ReadAllText(ConsortiumSecretFile).Trim());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--secret-file: cannot read {ConsortiumSecretFile}: {ex.Message}");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            // Never echo the file's content: it is the consortium's secret.
            throw new CliInputException(
                $"--secret-file: {ConsortiumSecretFile} does not hold a hex consortium secret of at least " +
                $"{ConsortiumSecret.MinimumLength} bytes");
        }
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    internal static string? Variable(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>
    /// The optional JSON config file: <c>{"node": "...", "apiKey": "...", "consortiumSecretFile": "...", "caFile": "...",
    /// "allowPlaintextApiKey": false}</c>.
    /// </summary>
    private sealed record ConfigFile(string? Node, string? ApiKey, string? ConsortiumSecretFile, string? CaFile, bool AllowPlaintextApiKey)
    {
        public static ConfigFile? Load(string? explicitPath, IReadOnlyDictionary<string, string?> environment)
        {
            var path = explicitPath ?? DefaultPath(environment);
            if (path is null || (explicitPath is null && !File.Exists(path)))
            {
                return null;
            }

            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliInputException($"--config: cannot read {path}: {ex.Message}");
            }

            try
            {
                using var json = JsonDocument.Parse(
                    text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CliInputException($"--config: {path} must hold a JSON object");
                }

                // A relative file name is relative to the config file, not to wherever the command runs.
                var secret = Relative(Text(json.RootElement, "consortiumSecretFile", path), path);
                var caFile = Relative(Text(json.RootElement, "caFile", path), path);
                var allowPlaintext = json.RootElement.TryGetProperty("allowPlaintextApiKey", out var allow) && allow.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False or JsonValueKind.Null => false,
                    _ => throw new CliInputException($"--config: \"allowPlaintextApiKey\" in {path} must be true or false"),
                };
                return new ConfigFile(
                    Text(json.RootElement, "node", path), Text(json.RootElement, "apiKey", path), secret, caFile, allowPlaintext);
            }
            catch (JsonException ex)
            {
                throw new CliInputException($"--config: {path} is not JSON: {ex.Message}");
            }
        }

        private static string? Relative(string? file, string configPath) =>
            file is null || Path.IsPathRooted(file)
                ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".", file));

        private static string? DefaultPath(IReadOnlyDictionary<string, string?> environment)
        {
            var configHome = Variable(environment, "XDG_CONFIG_HOME");
            if (configHome is null && (Variable(environment, "HOME") ?? Variable(environment, "USERPROFILE")) is { } home)
            {
                configHome = Path.Combine(home, ".config");
            }

            return configHome is null ? null : Path.Combine(configHome, "offshore-ledger", "cli.json");
        }

        private static string? Text(JsonElement root, string name, string path)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new CliInputException($"--config: \"{name}\" in {path} must be a string");
        }
    }
}
