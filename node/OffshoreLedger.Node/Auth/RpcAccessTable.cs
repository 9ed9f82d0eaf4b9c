using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Node.Auth;

/// <summary>
/// The scope each RPC this node serves requires, taken from the contract: the <c>access_scope</c> option every RPC of
/// <c>offshore_ledger.v1</c> declares (proto/offshore_ledger/v1/access.proto). Looked up by the endpoint the router
/// matched, never by the request's path. Built when the node starts: an RPC without a declaration stops the start
/// (fail closed). An RPC's HTTP/JSON route (google.api.http) is the same RPC and needs the same scope. Only the standard
/// health and reflection services are open, and the web console's static files (never its data).
/// </summary>
public sealed class RpcAccessTable
{
    public static readonly IReadOnlySet<string> OpenServices = new HashSet<string>(StringComparer.Ordinal)
    {
        "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection",
    };

    private readonly Dictionary<(string Service, string Method), string?> _required;

    private RpcAccessTable(Dictionary<(string, string), string?> required) => _required = required;

    /// <summary>
    /// Every RPC the contract defines, with the scope it declares (<see cref="AccessScope.Unspecified"/> where it declares none).
    /// </summary>
    public static IEnumerable<(MethodDescriptor Method, AccessScope Scope)> Contract() =>
        typeof(AccessScope).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", typeof(FileDescriptor))?.GetValue(null) as FileDescriptor)
            .OfType<FileDescriptor>()
            .SelectMany(f => f.Services)
            .SelectMany(s => s.Methods)
            .Select(m => (m, m.GetOptions()?.GetExtension(AccessExtensions.AccessScope) ?? AccessScope.Unspecified));

    /// <summary>The table for the gRPC endpoints a node maps; throws naming every RPC that declares no scope.</summary>
    public static RpcAccessTable For(IEnumerable<Endpoint> endpoints)
    {
        var declared = Contract().ToDictionary(c => (c.Method.Service.FullName, c.Method.Name), c => c.Scope);
        var required = new Dictionary<(string, string), string?>();
        var undeclared = new List<string>();
        foreach (var rpc in endpoints.Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()).OfType<GrpcMethodMetadata>())
        {
            var id = (rpc.Method.ServiceName, rpc.Method.Name);
            if (OpenServices.Contains(rpc.Method.ServiceName)) required[id] = null;
            else if (declared.GetValueOrDefault(id) is var scope and not AccessScope.Unspecified) required[id] = Scopes.Of(scope);
            else undeclared.Add(rpc.Method.FullName);
        }
        if (undeclared.Count > 0)
        {
            throw new InvalidOperationException(
                "Every RPC must declare its access scope (option (offshore_ledger.v1.access_scope) in its .proto); these do not: " +
                    $"{string.Join(", ", undeclared.Distinct())}.");
        }
        return new RpcAccessTable(required);
    }

    /// <summary>What a call to the matched endpoint needs.</summary>
    public Access Required(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } rpc
            && _required.TryGetValue((rpc.Method.ServiceName, rpc.Method.Name), out var scope)
            ? scope is null ? Access.Open : Access.Scope(scope)
            // The web console's static files: a browser opening the page cannot present a key; the page holds no data.
            : endpoint?.Metadata.GetMetadata<WebConsole.WebConsoleAsset>() is not null ? Access.Open
            // Anything else (an unknown service or method, a path no RPC matches): known credentials first, whatever follows.
            : Access.AnyCaller;
}

/// <summary>What a call needs: nothing (health, reflection), a scope, or just known credentials.</summary>
public sealed record Access(bool IsOpen, string? RequiredScope)
{
    public static readonly Access Open = new(true, null);
    public static readonly Access AnyCaller = new(false, null);

    public static Access Scope(string scope) => new(false, scope);
}
