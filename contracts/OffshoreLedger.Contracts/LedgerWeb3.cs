using Nethereum.RPC.TransactionReceipts;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace OffshoreLedger.Contracts;

/// <summary>Builds Web3 clients configured the way this project needs them.</summary>
public static class LedgerWeb3
{
    /// <summary>
    /// A signing Web3 that polls for receipts every <paramref name="receiptPollMilliseconds"/>: Nethereum's
    /// default of 100 ms caps a sequential sender at about ten transactions a second on a local chain.
    /// </summary>
    public static IWeb3 Create(Account account, string rpcUrl, int receiptPollMilliseconds = 5)
    {
        var web3 = new Web3(account, rpcUrl);
        web3.TransactionManager.TransactionReceiptService =
            new TransactionReceiptPollingService(web3.TransactionManager, receiptPollMilliseconds);
        return web3;
    }
}
