using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Node.Hosting;

namespace OffshoreLedger.Testing;

/// <summary>
/// The node hosted in this process (<see cref="LedgerNodeApp"/>, Kestrel on a real socket), as tests and benchmarks start
/// it: built from configuration, bound to the port the configuration names (port 0: the system's choice), and asked which
/// address it bound.
/// </summary>
public static class InProcessNode
{
    /// <summary>
    /// Builds and starts a node on an existing chain from <paramref name="configuration"/>; returns it and the URL it bound.
    /// A node that would start a development chain of its own is refused; one that fails to start is disposed.
    /// </summary>
    public static async Task<(WebApplication App, string Url)> StartAsync(
        IDictionary<string, string?> configuration, CancellationToken cancellationToken = default)
    {
        var (app, devnet) = await LedgerNodeApp.BuildAsync([], configuration, cancellationToken);
        try
        {
            if (devnet is not null) throw new InvalidOperationException(
                "The node was given no Chain:RpcUrl and started a chain of its own.");
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            if (devnet is not null) await devnet.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }
        return (app, UrlOf(app));
    }

    /// <summary>The single address the started <paramref name="app"/> is listening on.</summary>
    public static string UrlOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    /// <summary>Stops <paramref name="app"/> gracefully and disposes it, even when stopping fails.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
