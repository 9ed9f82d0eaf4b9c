using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

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
            if (!Sha256Hex().IsMatch(key.Sha256)) failures.Add(
                $"{at}:{nameof(ApiKeyOptions.Sha256)} must be the key's SHA-256 as 64 lower-case hex digits.");
            else if (!hashes.Add(key.Sha256)) failures.Add($"{at}:{nameof(ApiKeyOptions.Sha256)} is the hash of another key too.");
            CheckScopes(key.Scopes, $"{at}:{nameof(ApiKeyOptions.Scopes)}", failures);
        }
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ClientCertificates.Count; i++)
        {
            var certificate = options.ClientCertificates[i];
            var at = $"{AuthOptions.Section}:{nameof(AuthOptions.ClientCertificates)}:{i}";
            // One namespace of caller names: a write's record must say which credentials made it.
            if (string.IsNullOrWhiteSpace(certificate.Name)) failures.Add($"{at}:{nameof(ClientCertificateOptions.Name)} is required.");
            else if (!names.Add(certificate.Name)) failures.Add(
                $"{at}:{nameof(ClientCertificateOptions.Name)} '{certificate.Name}' names another key or certificate too.");
            if (string.IsNullOrWhiteSpace(certificate.Subject)) failures.Add(
                $"{at}:{nameof(ClientCertificateOptions.Subject)} (the certificate's common name) is required.");
            else if (!subjects.Add(certificate.Subject)) failures.Add(
                $"{at}:{nameof(ClientCertificateOptions.Subject)} '{certificate.Subject}' is listed twice.");
            CheckScopes(certificate.Scopes, $"{at}:{nameof(ClientCertificateOptions.Scopes)}", failures);
        }
        return failures;
    }

    private static void CheckScopes(List<string>? scopes, string at, List<string> failures)
    {
        if (scopes is not { Count: > 0 }) failures.Add($"{at} needs at least one of read, write, admin.");
        for (var j = 0; j < (scopes?.Count ?? 0); j++)
        {
            if (!Scopes.All.Contains(scopes![j].ToLowerInvariant())) failures.Add(
                $"{at}:{j} '{scopes[j]}' is not one of read, write, admin.");
        }
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
