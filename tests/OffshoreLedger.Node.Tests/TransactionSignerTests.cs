using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3.Accounts;
using OffshoreLedger.Node.Chain;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// The node signs with NBitcoin.Secp256k1 instead of Nethereum's BouncyCastle signer: the raw transactions must be
/// byte-identical to Nethereum's, for random keys, chains and transaction fields.
/// </summary>
public sealed class TransactionSignerTests
{
    private const int Cases = 400;

    [Fact]
    public void Legacy_transactions_are_byte_identical_to_Nethereums_for_random_inputs()
    {
        var random = new Random(20261129);
        for (var i = 0; i < Cases; i++)
        {
            var (privateKey, chainId) = (RandomKey(random), RandomChainId(random));
            var account = new Account(privateKey, chainId);
            var input = new TransactionInput(RandomData(random), RandomAddress(random), account.Address,
                new HexBigInteger(RandomUInt(random, 8)), new HexBigInteger(RandomUInt(random, 12)),
                new HexBigInteger(RandomUInt(random, 16)))
            {
                Nonce = new HexBigInteger(RandomUInt(random, 8)),
            };
            using var signer = new TransactionSigner(privateKey, chainId);

            var ours = signer.SignLegacy(input.To, input.Value.Value, input.Nonce.Value, input.GasPrice.Value, input.Gas.Value, input.Data);
            var nethereums = new AccountOfflineTransactionSigner().SignTransaction(account, input, chainId);

            Assert.Equal(nethereums, ours);
        }
    }

    [Fact]
    public void Eip1559_transactions_are_byte_identical_to_Nethereums_for_random_inputs()
    {
        var random = new Random(1559);
        for (var i = 0; i < Cases; i++)
        {
            var (privateKey, chainId) = (RandomKey(random), RandomChainId(random));
            var account = new Account(privateKey, chainId);
            var input = new TransactionInput(RandomData(random), RandomAddress(random), account.Address,
                new HexBigInteger(RandomUInt(random, 8)), null, new HexBigInteger(RandomUInt(random, 16)))
            {
                Nonce = new HexBigInteger(RandomUInt(random, 8)),
                Type = new HexBigInteger(2), // EIP-1559
                MaxPriorityFeePerGas = new HexBigInteger(RandomUInt(random, 10)),
                MaxFeePerGas = new HexBigInteger(RandomUInt(random, 12)),
            };
            using var signer = new TransactionSigner(privateKey, chainId);

            var ours = signer.Sign1559(
                input.To, input.Value.Value, input.Nonce.Value, input.MaxPriorityFeePerGas.Value, input.MaxFeePerGas.Value, input.Gas.Value,
                input.Data);
            var nethereums = new AccountOfflineTransactionSigner().SignTransaction(account, input, chainId);

            Assert.Equal(nethereums, ours);
        }
    }

    [Fact]
    public void A_signed_legacy_transaction_recovers_to_the_signers_address()
    {
        var key = EthECKey.GenerateKey();
        using var signer = new TransactionSigner(key.GetPrivateKey(), 31337);

        var signed = signer.SignLegacy("0x5FbDB2315678afecb367f032d93F642f64180aa3", 0, 7, 1_000_000_000, 100_000, "0x1234abcd");

        Assert.Equal(key.GetPublicAddress(), TransactionVerificationAndRecovery.GetSenderAddress(signed));
    }

    private static string RandomKey(Random random) => RandomBytes(random, 32).ToHex(true);

    private static BigInteger RandomChainId(Random random) => random.Next(3) switch
    {
        0 => 1,
        1 => 31337,
        _ => RandomUInt(random, 6) + 1,
    };

    private static string RandomAddress(Random random) => RandomBytes(random, 20).ToHex(true);

    /// <summary>Call data of 0 to 300 bytes; empty data included.</summary>
    private static string RandomData(Random random) => RandomBytes(random, random.Next(4) == 0 ? 0 : random.Next(1, 300)).ToHex(true);

    /// <summary>
    /// An unsigned integer of up to <paramref name="maxBytes"/> bytes, often small (zero included), where encodings differ.
    /// </summary>
    private static BigInteger RandomUInt(Random random, int maxBytes) =>
        random.Next(4) == 0
            ? random.Next(3) : new BigInteger(RandomBytes(random, random.Next(1, maxBytes + 1)), isUnsigned: true, isBigEndian: true);

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
