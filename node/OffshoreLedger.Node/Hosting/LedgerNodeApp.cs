using Microsoft.AspNetCore.Server.Kestrel.Core;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Node.Hosting;

/// <summary>Builds the node's web application; the program and the tests use the same path.</summary>
public static class LedgerNodeApp
{
    public const string DefaultUrl = "http://127.0.0.1:50051";

    /// <summary>Names a JSON file of node settings; environment variables and the command line still override it.</summary>
    public const string ConfigFileVariable = "OFFSHORELEDGER_CONFIG_FILE";

    public static async Task<(WebApplication App, DevnetBootstrap? Devnet)> BuildAsync(
        string[] args, IDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(args);
        // A configuration file written for this node (e.g. by consortium-init); environment variables and the
        // command line are added again after it, so they still override it. It is re-read when it changes, which is
        // how API keys are rotated without a restart.
        if (Environment.GetEnvironmentVariable(ConfigFileVariable) is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: true);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args);
        }
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
