using System.Security.Claims;
using Grpc.Core;

namespace OffshoreLedger.Node.Auth;

/// <summary>Who is calling: the name of the credentials presented (an API key's configured name) and their scopes.</summary>
public sealed record Caller(string Name, IReadOnlySet<string> Scopes)
{
    private const string ScopeClaim = "scope", AuthenticationType = "OffshoreLedger";

    /// <summary>As <see cref="HttpContext.User"/>, so rate limiting, logging and the services see one identity.</summary>
    public ClaimsPrincipal ToPrincipal() => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, Name), .. Scopes.Select(s => new Claim(ScopeClaim, s))], AuthenticationType));
}

public static class CallerExtensions
{
    /// <summary>
    /// The name of the credentials that authorised this call, recorded with every write it causes. Every ledger RPC
    /// runs behind <see cref="EndpointAuthorisation"/>, so an authorised call always has one.
    /// </summary>
    public static string CallerName(this ServerCallContext context) =>
        context.GetHttpContext().User.Identity is { IsAuthenticated: true, Name: { } name }
            ? name
            : throw new InvalidOperationException("A ledger RPC ran without an authenticated caller.");
}
