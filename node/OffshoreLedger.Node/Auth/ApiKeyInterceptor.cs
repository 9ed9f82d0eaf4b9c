using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Hosting;

namespace OffshoreLedger.Node.Auth;

/// <summary>The scopes an API key may carry.</summary>
public static class Scopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    /// <summary>Scopes nest: admin includes write, and write includes read.</summary>
    public static bool Grants(IReadOnlySet<string> held, string required) =>
        held.Contains(required) || held.Contains(Admin) || (required == Read && held.Contains(Write));

    /// <summary>Methods that change the ledger; every other ledger method reads.</summary>
    private static readonly HashSet<string> Writes =
    [
        "RegisterTitle", "Pledge", "SignPledgeConsent", "Release", "TransferTitle", "SurrenderTitle", "PublishLoadingAttestation", "AnchorDocuments",
    ];

    /// <summary>The scope a method needs, or null for the open standard services (health, reflection).</summary>
    public static string? Required(string fullMethod)
    {
        if (!fullMethod.StartsWith("/offshore_ledger.", StringComparison.Ordinal)) return null;
        var method = fullMethod[(fullMethod.LastIndexOf('/') + 1)..];
        return Writes.Contains(method) ? Write : Read;
    }
}

/// <summary>
/// Authenticates callers by the <c>x-api-key</c> header against SHA-256 hashes in configuration, and
/// checks the method's scope: no or unknown key → UNAUTHENTICATED, missing scope → PERMISSION_DENIED.
/// </summary>
public sealed class ApiKeyInterceptor(IOptions<AuthOptions> options) : Interceptor
{
    public const string Header = "x-api-key";

    private readonly Dictionary<string, HashSet<string>> _scopesByHash = options.Value.ApiKeys
        .ToDictionary(k => k.Sha256.ToLowerInvariant(), k => k.Scopes.ToHashSet(StringComparer.OrdinalIgnoreCase));

    public static string Hash(string apiKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))).ToLowerInvariant();

    private void Authorise(ServerCallContext context)
    {
        var required = Scopes.Required(context.Method);
        if (required is null) return;
        var key = context.RequestHeaders.GetValue(Header);
        if (string.IsNullOrEmpty(key) || !_scopesByHash.TryGetValue(Hash(key), out var scopes))
        {
            throw RpcErrors.Unauthenticated($"Present a valid API key in the '{Header}' header.");
        }
        if (!Scopes.Grants(scopes, required)) throw RpcErrors.PermissionDenied(required);
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorise(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorise(context);
        return continuation(request, responseStream, context);
    }
}
