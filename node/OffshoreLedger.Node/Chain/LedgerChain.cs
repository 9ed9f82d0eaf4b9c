using Microsoft.Extensions.Options;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.TransactionReceipts;
using Nethereum.Web3;
using OffshoreLedger.Contracts;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Chain;

/// <summary>The contract as this organisation signs it, and a read-only view for sync and eth_call reads.</summary>
public sealed class LedgerChain(
    IOptions<ChainOptions> options, OrganisationIdentity identity, Telemetry.ChainRpcTelemetry? telemetry = null) : IDisposable
{
    public ChainOptions Options { get; } = options.Value;

    public IWeb3 Web3 { get; } = WithTelemetry(CreateWeb3(identity, options.Value), telemetry);

    /// <summary>
    /// One endpoint as configured; several behind a <see cref="FailoverClient"/>, so sync and reads fail over as the outbox does.
    /// </summary>
    private static IWeb3 CreateWeb3(OrganisationIdentity identity, ChainOptions options)
    {
        if (options.Endpoints.Count == 1) return LedgerWeb3.Create(identity.Account, options.Endpoints[0]);
        var web3 = new Web3(
            identity.Account, new FailoverClient([.. options.Endpoints.Select(url => (IClient)new RpcClient(new Uri(url)))]));
        web3.TransactionManager.TransactionReceiptService = new TransactionReceiptPollingService(web3.TransactionManager, 5);
        return web3;
    }

    /// <summary>Every JSON-RPC call through <see cref="Web3"/> is timed and traced when telemetry is on.</summary>
    private static IWeb3 WithTelemetry(IWeb3 web3, RequestInterceptor? telemetry)
    {
        if (telemetry is not null) web3.Client.OverridingRequestInterceptor = telemetry;
        return web3;
    }

    public LedgerContract Contract => new(Web3, Options.ContractAddress!);

    public string Signer => identity.Address;

    /// <summary>
    /// True when the chain's endpoint did not answer at all (down, refusing connections, timed out), rather than answering with an error.
    /// </summary>
    public static bool IsUnreachable(Exception exception) =>
        exception is RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException;

    /// <summary>Signs the outbox's transactions as <see cref="Signer"/>.</summary>
    public TransactionSigner TransactionSigner { get; } = new(identity.Account.PrivateKey, identity.Account.ChainId!.Value);

    public void Dispose() => TransactionSigner.Dispose();
}
