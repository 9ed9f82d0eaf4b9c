using System.Diagnostics;
using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3.Accounts;
using OffshoreLedger.Node.Chain;

namespace OffshoreLedger.Benchmarks.Writes;

/// <summary>One signer's timed run on one thread: signatures per wall-clock second and per CPU second of that thread's process.</summary>
public sealed record SigningRun(string Signer, int Signatures, TimeSpan Elapsed, TimeSpan ProcessCpu)
{
    public double PerSecond => Signatures / Elapsed.TotalSeconds;

    /// <summary>Signatures per second of CPU time: what one core does, less sensitive to other load than wall-clock rate.</summary>
    public double PerCpuSecond => Signatures / ProcessCpu.TotalSeconds;
}

/// <summary>
/// The node's transaction, a pledge's call data in a legacy EIP-155 transaction, signed on one thread by Nethereum's
/// signer (BouncyCastle; what the outbox used) and by <see cref="TransactionSigner"/> (NBitcoin.Secp256k1), in the same process.
/// </summary>
public static class SigningBenchmark
{
    public const string NethereumSigner = "Nethereum AccountOfflineTransactionSigner (BouncyCastle)";
    public const string Secp256k1Signer = "TransactionSigner (NBitcoin.Secp256k1)";

    public static IReadOnlyList<SigningRun> Run(
        string privateKey, BigInteger chainId, string contract, string callData, TimeSpan duration, int repeats)
    {
        var account = new Account(privateKey, chainId);
        var nethereum = new AccountOfflineTransactionSigner();
        using var ours = new TransactionSigner(privateKey, chainId);
        TransactionInput Input(long nonce) =>
            new(callData, contract, account.Address, new HexBigInteger(150_000), new HexBigInteger(1_000_000_000), new HexBigInteger(0))
        {
            Nonce = new HexBigInteger(nonce),
        };
        // The same bytes from both, or the comparison means nothing.
        if (nethereum.SignTransaction(account, Input(1), chainId) != ours.SignLegacy(contract, 0, 1, 1_000_000_000, 150_000, callData))
        {
            throw new InvalidOperationException("The two signers disagree on the same transaction.");
        }

        var runs = new List<SigningRun>();
        for (var r = 0; r < repeats; r++)
        {
            runs.Add(Time(NethereumSigner, n => nethereum.SignTransaction(account, Input(n), chainId), duration));
            runs.Add(Time(Secp256k1Signer, n => ours.SignLegacy(contract, 0, n, 1_000_000_000, 150_000, callData), duration));
        }
        return runs;
    }

    private static SigningRun Time(string signer, Func<long, string> sign, TimeSpan duration)
    {
        for (var n = 0; n < 50; n++) sign(n); // JIT and caches
        var thread = Process.GetCurrentProcess();
        var cpuBefore = thread.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var count = 0;
        while (Stopwatch.GetTimestamp() < deadline) sign(count++);
        var elapsed = Stopwatch.GetElapsedTime(start);
        thread.Refresh();
        return new SigningRun(signer, count, elapsed, thread.TotalProcessorTime - cpuBefore);
    }
}
