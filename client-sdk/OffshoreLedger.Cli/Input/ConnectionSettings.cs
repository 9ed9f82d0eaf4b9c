using System.Text.Json;
using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Cli.Input;

/// <summary>
/// Where the node is, the API key, and the consortium secret file. Each comes from a flag, else an environment
/// variable, else the config file, in that order.
/// </summary>
public sealed record ConnectionSettings(Uri Node, string? ApiKey, string? ConsortiumSecretFile)
{
    public const string DefaultNode = "http://127.0.0.1:50051";
    public const string NodeVariable = "OFFSHORE_NODE";
    public const string ApiKeyVariable = "OFFSHORE_API_KEY";
    public const string SecretFileVariable = "OFFSHORE_SECRET_FILE";

    public static ConnectionSettings Resolve(
        string? nodeFlag, string? apiKeyFlag, string? configFlag, string? secretFileFlag, IReadOnlyDictionary<string, string?> environment)
    {
        var file = ConfigFile.Load(configFlag, environment);
        var node = First(nodeFlag, Variable(environment, NodeVariable), file?.Node) ?? DefaultNode;
        if (!Uri.TryCreate(node, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliInputException($"--node: '{node}' is not an http:// or https:// URL");
        }

        return new ConnectionSettings(
            uri,
            First(apiKeyFlag, Variable(environment, ApiKeyVariable), file?.ApiKey),
            First(secretFileFlag, Variable(environment, SecretFileVariable), file?.ConsortiumSecretFile));
    }

    /// <summary>The consortium secret, for deriving collateral keys here instead of sending documents.</summary>
    public ConsortiumSecret LoadConsortiumSecret()
    {
        if (ConsortiumSecretFile is null)
        {
            throw new CliInputException(
                $"--local needs the consortium secret: give --secret-file FILE, {SecretFileVariable}, or \"consortiumSecretFile\" in the config file");
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
            throw new CliInputException($"--secret-file: {ConsortiumSecretFile} does not hold a hex consortium secret of at least {ConsortiumSecret.MinimumLength} bytes");
        }
    }

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    internal static string? Variable(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>The optional JSON config file: <c>{"node": "...", "apiKey": "...", "consortiumSecretFile": "..."}</c>.</summary>
    private sealed record ConfigFile(string? Node, string? ApiKey, string? ConsortiumSecretFile)
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
                using var json = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (json.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CliInputException($"--config: {path} must hold a JSON object");
                }

                var secret = Text(json.RootElement, "consortiumSecretFile", path);
                // A relative secret path is relative to the config file, not to wherever the command runs.
                if (secret is not null && !Path.IsPathRooted(secret))
                {
                    secret = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", secret));
                }

                return new ConfigFile(Text(json.RootElement, "node", path), Text(json.RootElement, "apiKey", path), secret);
            }
            catch (JsonException ex)
            {
                throw new CliInputException($"--config: {path} is not JSON: {ex.Message}");
            }
        }

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
