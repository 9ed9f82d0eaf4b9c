using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Benchmarks;

/// <summary>
/// Issue 14: titles are issued by the carrier bound to the B/L's carrier code, on a lot its port of loading attested.
/// The benchmarks issue through the development carrier (bound to <see cref="CarrierCode"/>) on one lot the development
/// port attests straight on chain, with room for every title a benchmark issues.
/// </summary>
public static class BenchmarkIssuance
{
    /// <summary>A carrier code governance bound to the development carrier (DevConsortium.StandardMembers).</summary>
    public const string CarrierCode = "MAEU";

    public static async Task<ByteString> AttestLotAsync(AnvilChain chain, DevConsortium consortium, CancellationToken cancellationToken)
    {
        var lot = RandomNumberGenerator.GetBytes(32);
        var head = await chain.Web3For(0).Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(
            Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest());
        var receipt = await consortium.LedgerAs(consortium.Member("port")).SendAsync(new AttestLoadingFunction
        {
            LotKey = lot, Locode = Encoding.ASCII.GetBytes("SGSIN\0\0\0"), Quantity = 1UL << 47,
            Unit = Encoding.ASCII.GetBytes("TNE\0\0\0\0\0"),
            LoadedAt = (ulong)head.Timestamp.Value - 60, DocumentHash = RandomNumberGenerator.GetBytes(32),
        }, cancellationToken);
        if (receipt.Status.Value != 1) throw new InvalidOperationException("The port's attestation of the benchmark's lot reverted.");
        return ByteString.CopyFrom(lot);
    }
}
