using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Devnet;
using OffshoreLedger.Node.Transport;

namespace OffshoreLedger.Node.Hosting;

/// <summary>Builds the node's web application; the program and the tests use the same path.</summary>
public static class LedgerNodeApp
{
    /// <summary>Names a JSON file of node settings; environment variables and the command line still override it.</summary>
    public const string ConfigFileVariable = "OFFSHORELEDGER_CONFIG_FILE";

    /// <summary>
    /// Builds the node. <c>--dev</c> in <paramref name="args"/> starts a development chain when no <c>Chain:RpcUrl</c>
    /// is configured; without it, a missing chain stops the node. Throws <see cref="NodeStartupException"/> naming the
    /// setting at fault.
    /// </summary>
    public static async Task<(WebApplication App, DevnetBootstrap? Devnet)> BuildAsync(
        string[] args, IDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var (hostArgs, development) = NodeCommandLine.TakeDevFlag(args);
        var builder = WebApplication.CreateBuilder(hostArgs);
        // A configuration file written for this node (e.g. by consortium-init); environment variables and the
        // command line are added again after it, so they still override it. It is re-read when it changes, which is
        // how API keys are rotated without a restart.
        if (Environment.GetEnvironmentVariable(ConfigFileVariable) is { Length: > 0 } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: true);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(hostArgs);
        }
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // Before anything starts (a development chain included): no plaintext off loopback, no TLS without a certificate.
        var transport = TransportSecurity.From(builder.Configuration);
        transport.Check(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration["Urls"])) builder.WebHost.UseUrls(transport.DefaultUrl);
        builder.WebHost.ConfigureKestrel(k =>
        {
            // gRPC without TLS needs HTTP/2 only (prior knowledge); with TLS, ALPN negotiates HTTP/2 for gRPC and
            // HTTP/1.1 for a browser (the web console) on the same port.
            k.ConfigureEndpointDefaults(e => e.Protocols = transport.ServesTls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http2);
            transport.Configure(k);
        });
        var devnet = await DevnetBootstrap.StartIfRequestedAsync(builder, development, cancellationToken);
        builder.AddLedgerNode();
        var app = builder.Build();
        try
        {
            await app.Services.GetRequiredService<ChainIdResolution>().ResolveAsync(cancellationToken);
        }
        catch (OptionsValidationException)
        {
            // Settings at fault: the host's start-up validation reports them, naming each, as for any other setting.
        }
        catch
        {
            await app.DisposeAsync();
            if (devnet is not null) await devnet.DisposeAsync();
            throw;
        }
        app.MapLedgerNode();
        return (app, devnet);
    }
}
