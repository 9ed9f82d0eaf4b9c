using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts;

/// <summary>
/// One deployed OffshoreLedger contract as seen by one signer: typed sends that surface custom errors as
/// <see cref="LedgerRevertException"/>, and typed view calls.
/// </summary>
public sealed class LedgerContract(IWeb3 web3, string address)
{
    public IWeb3 Web3 { get; } = web3;
    public string Address { get; } = address;

    /// <summary>The same contract seen by another signer.</summary>
    public LedgerContract As(IWeb3 signer) => new(signer, Address);

    public static async Task<(LedgerContract Contract, TransactionReceipt Receipt)> DeployAsync(
        IWeb3 web3, IReadOnlyCollection<string> admins, uint threshold, CancellationToken cancellationToken = default)
    {
        var deployment = new OffshoreLedgerDeployment { Admins = [.. admins], Threshold = threshold };
        var receipt = await Guard(() => web3.Eth.GetContractDeploymentHandler<OffshoreLedgerDeployment>()
            .SendRequestAndWaitForReceiptAsync(deployment, cancellationToken));
        EnsureSucceeded(receipt);
        return (new LedgerContract(web3, receipt.ContractAddress), receipt);
    }

    /// <summary>Sends a transaction and waits for its receipt; a refusal throws <see cref="LedgerRevertException"/>.</summary>
    public async Task<TransactionReceipt> SendAsync<TFunction>(TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
    {
        var receipt = await Guard(() => Web3.Eth.GetContractTransactionHandler<TFunction>()
            .SendRequestAndWaitForReceiptAsync(Address, message, cancellationToken));
        EnsureSucceeded(receipt);
        return receipt;
    }

    /// <summary>Calls a view function (or simulates a transaction) at the latest block.</summary>
    public Task<TOutput> QueryAsync<TFunction, TOutput>(TFunction message, BlockParameter? block = null)
        where TFunction : FunctionMessage, new()
        where TOutput : IFunctionOutputDTO, new() =>
        Query(block, () => Web3.Eth.GetContractQueryHandler<TFunction>().QueryDeserializingToObjectAsync<TOutput>(message, Address, block));

    /// <summary>Calls a function with a single return value.</summary>
    public Task<TResult> QueryValueAsync<TFunction, TResult>(TFunction message, BlockParameter? block = null)
        where TFunction : FunctionMessage, new() =>
        Query(block, () => Web3.Eth.GetContractQueryHandler<TFunction>().QueryAsync<TResult>(Address, message, block));

    /// <summary>Calls made "at the latest block" that anvil may answer with BlockOutOfRange are asked again this many times.</summary>
    private const int LatestAttempts = 5;

    /// <summary>
    /// A view call. anvil (with <c>--prune-history</c>) sometimes answers a call at "latest" made just as a block is mined
    /// with "BlockOutOfRangeError: block height is N but requested was N-1": the latest state moved on between its two
    /// looks. Asking again reads the new latest block, which is what the caller asked for; a call at a given block is
    /// not retried, since its answer would not change.
    /// </summary>
    private static async Task<T> Query<T>(BlockParameter? block, Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Guard(call);
            }
            catch (Nethereum.JsonRpc.Client.RpcResponseException ex)
                when (block is null && attempt < LatestAttempts && ex.Message.Contains("BlockOutOfRange", StringComparison.Ordinal))
            {
            }
        }
    }

    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (LedgerRevertException.From(ex) is { } refusal)
        {
            throw refusal;
        }
    }

    private static void EnsureSucceeded(TransactionReceipt receipt)
    {
        if (receipt.Status?.Value != 1)
        {
            throw new InvalidOperationException($"Transaction {receipt.TransactionHash} failed on chain (status 0).");
        }
    }
}
