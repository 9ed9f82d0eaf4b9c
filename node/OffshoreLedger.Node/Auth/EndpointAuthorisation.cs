using Grpc.Core;
using OffshoreLedger.Node.Errors;

namespace OffshoreLedger.Node.Auth;

/// <summary>
/// Authorises every request after routing and before any handler runs or its body is read: the scope comes from the
/// endpoint the router matched (<see cref="RpcAccessTable"/>), so the path's letter case, a trailing slash or an
/// encoding cannot change it, and all four kinds of handler are covered alike. Credentials are an API key, or else
/// a client certificate the organisation's CA issued whose subject is configured. No or unknown credentials →
/// UNAUTHENTICATED; credentials without the scope → PERMISSION_DENIED. An authorised caller becomes
/// <see cref="HttpContext.User"/>.
/// </summary>
public sealed partial class EndpointAuthorisation(
    RequestDelegate next, RpcAccessTable access, ApiKeys apiKeys, ILogger<EndpointAuthorisation> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var required = access.Required(context.GetEndpoint());
        if (required.IsOpen) return next(context);
        if (Authenticate(context) is not { } caller)
        {
            LogRefused(logger, "unauthenticated", context.Request.Path);
            return RefuseAsync(context, RpcErrors.Unauthenticated($"Present a valid API key in the '{ApiKeys.Header}' header."));
        }
        if (required.RequiredScope is { } scope && !Scopes.Grants(caller.Scopes, scope))
        {
            LogRefused(logger, caller.Name, context.Request.Path);
            return RefuseAsync(context, RpcErrors.PermissionDenied(scope));
        }
        context.User = caller.ToPrincipal();
        return next(context);
    }

    private Caller? Authenticate(HttpContext context)
    {
        // Exactly one key: a repeated header is not a way to try several. A key, when given, decides alone.
        var presented = context.Request.Headers[ApiKeys.Header];
        if (presented.Count > 0) return presented is [{ Length: > 0 } key] ? apiKeys.Find(key) : null;
        return context.Connection.ClientCertificate is { } certificate ? apiKeys.Find(certificate) : null;
    }

    /// <summary>A gRPC status to a gRPC caller; to an HTTP/JSON caller, the same status as JSON with its HTTP code.</summary>
    private static Task RefuseAsync(HttpContext context, RpcException error) => GrpcStatusResponse.WriteAsync(context, error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Refused a call as {Caller} to {Path}")]
    private static partial void LogRefused(ILogger logger, string caller, PathString path);
}
