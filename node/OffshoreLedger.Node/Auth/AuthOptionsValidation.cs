using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Hosting;

namespace OffshoreLedger.Node.Auth;

/// <summary>
/// Validates every configured API key (data annotations do not recurse into lists): each has a name, a lower-case
/// hex SHA-256 and known scopes; no two share a name or a hash. Each failure names the setting, e.g.
/// <c>Auth:ApiKeys:2:Sha256</c>, so a node with a bad key stops at start saying which.
/// </summary>
public sealed partial class AuthOptionsValidation : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        Failures(options) is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;

    public static List<string> Failures(AuthOptions options)
    {
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var at = $"{AuthOptions.Section}:{nameof(AuthOptions.ApiKeys)}:{i}";
            if (string.IsNullOrWhiteSpace(key.Name)) failures.Add($"{at}:{nameof(ApiKeyOptions.Name)} is required.");
            else if (!names.Add(key.Name)) failures.Add($"{at}:{nameof(ApiKeyOptions.Name)} '{key.Name}' names another key too.");
            if (!Sha256Hex().IsMatch(key.Sha256)) failures.Add($"{at}:{nameof(ApiKeyOptions.Sha256)} must be the key's SHA-256 as 64 lower-case hex digits.");
            else if (!hashes.Add(key.Sha256)) failures.Add($"{at}:{nameof(ApiKeyOptions.Sha256)} is the hash of another key too.");
            if (key.Scopes is not { Count: > 0 }) failures.Add($"{at}:{nameof(ApiKeyOptions.Scopes)} needs at least one of read, write, admin.");
            for (var j = 0; j < (key.Scopes?.Count ?? 0); j++)
            {
                if (!Scopes.All.Contains(key.Scopes![j].ToLowerInvariant())) failures.Add($"{at}:{nameof(ApiKeyOptions.Scopes)}:{j} '{key.Scopes[j]}' is not one of read, write, admin.");
            }
        }
        return failures;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
