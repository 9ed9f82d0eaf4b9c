namespace OffshoreLedger.Node.Limits;

/// <summary>Who is calling, as far as limits are concerned.</summary>
public static class CallerPartition
{
    /// <summary>
    /// The name the caller's credentials authenticated (set on <see cref="HttpContext.User"/> by the authorisation
    /// middleware), else its remote address: a key shared by many hosts is one caller, and so is an unauthenticated host.
    /// </summary>
    public static string Of(HttpContext context) =>
        context.User.Identity?.Name is { Length: > 0 } name
            ? "name:" + name
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
