using Microsoft.AspNetCore.Server.Kestrel.Core;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Node.Hosting;

/// <summary>Builds the node's web application; the program and the tests use the same path.</summary>
public static class LedgerNodeApp
{
    public const string DefaultUrl = "http://127.0.0.1:50051";

    public static async Task<(WebApplication App, DevnetBootstrap? Devnet)> BuildAsync(
        string[] args, IDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        if (string.IsNullOrEmpty(builder.Configuration["Urls"])) builder.WebHost.UseUrls(DefaultUrl);
        // gRPC without TLS needs HTTP/2 only; with TLS configured through Kestrel, ALPN negotiates it.
        builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2));
        var devnet = await DevnetBootstrap.StartIfNoChainAsync(builder, cancellationToken);
        builder.AddLedgerNode();
        var app = builder.Build();
        app.MapLedgerNode();
        return (app, devnet);
    }
}
