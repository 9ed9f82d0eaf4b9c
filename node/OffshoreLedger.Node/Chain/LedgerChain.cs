using Microsoft.Extensions.Options;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;
using OffshoreLedger.Contracts;
using OffshoreLedger.Node.Hosting;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Chain;

/// <summary>The contract as this organisation signs it, and a read-only view for sync and eth_call reads.</summary>
public sealed class LedgerChain(IOptions<ChainOptions> options, OrganisationIdentity identity) : IDisposable
{
    public ChainOptions Options { get; } = options.Value;

    public IWeb3 Web3 { get; } = LedgerWeb3.Create(identity.Account, options.Value.RpcUrl!);

    public LedgerContract Contract => new(Web3, Options.ContractAddress!);

    public string Signer => identity.Address;

    /// <summary>True when the chain's endpoint did not answer at all (down, refusing connections, timed out), rather than answering with an error.</summary>
    public static bool IsUnreachable(Exception exception) =>
        exception is RpcClientUnknownException or RpcClientTimeoutException or HttpRequestException;

    /// <summary>Signs the outbox's transactions as <see cref="Signer"/>.</summary>
    public TransactionSigner TransactionSigner { get; } = new(identity.Account.PrivateKey, identity.Account.ChainId!.Value);

    public void Dispose() => TransactionSigner.Dispose();
}
