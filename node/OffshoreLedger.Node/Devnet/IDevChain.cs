using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OffshoreLedger.Contracts;

namespace OffshoreLedger.Node.Devnet;

/// <summary>A development chain with funded, publicly known accounts: one this process started, or one running elsewhere.</summary>
public interface IDevChain
{
    string RpcUrl { get; }
    int ChainId { get; }
    IReadOnlyList<DevAccount> Accounts { get; }

    /// <summary>A Web3 that signs as development account <paramref name="index"/>.</summary>
    IWeb3 Web3For(int index);
}

/// <summary>
/// A development chain started elsewhere (e.g. anvil in its own container), whose accounts are read from the
/// file anvil wrote with <c>--config-out</c>.
/// </summary>
public sealed class RemoteDevChain(string rpcUrl, int chainId, IReadOnlyList<DevAccount> accounts) : IDevChain
{
    public string RpcUrl { get; } = rpcUrl;
    public int ChainId { get; } = chainId;
    public IReadOnlyList<DevAccount> Accounts { get; } = accounts;

    public IWeb3 Web3For(int index) => LedgerWeb3.Create(new Account(Accounts[index].PrivateKey, ChainId), RpcUrl);

    /// <summary>Connects to <paramref name="rpcUrl"/> with the accounts in anvil's <c>--config-out</c> file.</summary>
    public static async Task<RemoteDevChain> ConnectAsync(string rpcUrl, string accountsFile, CancellationToken cancellationToken = default)
    {
        var chainId = await new Web3(rpcUrl).Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken);
        return new RemoteDevChain(rpcUrl, (int)chainId.Value, AnvilChain.ReadAccounts(accountsFile));
    }
}
