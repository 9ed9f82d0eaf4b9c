using System.Collections.Frozen;

namespace OffshoreLedger.Node.WebConsole;

/// <summary>
/// The web console at <see cref="BasePath"/>: static HTML, CSS and an ES module embedded in the node. The page itself
/// holds no ledger data and is open to any browser (a browser cannot present an API key when it opens a URL); every
/// answer it shows comes from the HTTP/JSON API with the API key the user enters, under the same authorisation,
/// limits and errors as any other caller. Its assets are still counted against the caller's limits.
/// </summary>
public static class WebConsoleEndpoints
{
    public const string BasePath = "/console/";
    private const string ResourcePrefix = "console/";

    // Only the node's own origin, no inline script or style, not framed (clickjacking), no referrer leaking a title id.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action " +
            "'none'; frame-ancestors 'none'";

    /// <summary>The console's files by name, read once from the node's assembly.</summary>
    public static FrozenDictionary<string, (byte[] Content, string ContentType)> Assets { get; } = LoadAssets();

    public static WebApplication MapWebConsole(this WebApplication app)
    {
        app.MapGet(BasePath + "{file?}", (HttpContext context, string? file) =>
        {
            // The router matches /console and /console/ alike; the page's relative links need the slash.
            if (string.IsNullOrEmpty(file) && context.Request.Path.Value?.EndsWith('/') != true) return Results.Redirect(BasePath);
            if (!Assets.TryGetValue(string.IsNullOrEmpty(file) ? "index.html" : file, out var asset)) return Results.NotFound();
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-cache";
            return Results.Bytes(asset.Content, asset.ContentType);
        }).WithMetadata(WebConsoleAsset.Instance);
        return app;
    }

    private static FrozenDictionary<string, (byte[], string)> LoadAssets()
    {
        var assembly = typeof(WebConsoleEndpoints).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var file = name[ResourcePrefix.Length..];
            assets[file] = (buffer.ToArray(), ContentTypeOf(file));
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    };
}

/// <summary>Endpoint metadata: a static asset of the web console, which authorisation leaves open (it carries no ledger data).</summary>
public sealed class WebConsoleAsset
{
    public static readonly WebConsoleAsset Instance = new();

    private WebConsoleAsset() { }
}
