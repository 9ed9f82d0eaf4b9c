using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Node.Auth;

/// <summary>The scopes a caller's credentials may carry, as configured (<c>read</c>, <c>write</c>, <c>admin</c>).</summary>
public static class Scopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Read, Write, Admin };

    /// <summary>Scopes nest: admin includes write, and write includes read.</summary>
    public static bool Grants(IReadOnlySet<string> held, string required) =>
        held.Contains(required) || held.Contains(Admin) || (required == Read && held.Contains(Write));

    /// <summary>The configured name of a scope an RPC declares in the contract.</summary>
    public static string Of(AccessScope scope) => scope switch
    {
        AccessScope.Read => Read,
        AccessScope.Write => Write,
        AccessScope.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a scope an RPC can require."),
    };
}
