using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>Calldata no well-behaved client sends: a uint64 argument's 32-byte word with bits above 64 set.</summary>
public static class RawCalldata
{
    /// <summary>Simulates <paramref name="data"/> sent by <paramref name="sender"/> and returns its output; a revert throws.</summary>
    public static Task<string> CallAsync(TestConsortium c, Actor sender, byte[] data) =>
        c.Ledger.Web3.Eth.Transactions.Call.SendRequestAsync(new CallInput(data.ToHex(true), c.Ledger.Address) { From = sender.Address });

    /// <summary>The first 32-byte word of a call's output, as an unsigned integer.</summary>
    public static BigInteger Word(string output) => new(output.HexToByteArray().AsSpan(0, 32), isUnsigned: true, isBigEndian: true);

    /// <summary>The calldata with bit 64 set in the one argument word holding <paramref name="value"/>.</summary>
    public static byte[] WithBitAbove64(byte[] data, ulong value)
    {
        var word = new byte[32];
        BitConverter.GetBytes(value).Reverse().ToArray().CopyTo(word, 24);
        var starts = Enumerable.Range(0, (data.Length - 4) / 32).Select(i => 4 + (i * 32))
            .Where(start => data.AsSpan(start, 32).SequenceEqual(word)).ToList();
        return WithBitAbove64At(data, Assert.Single(starts));
    }

    /// <summary>
    /// The calldata with bit 64 set in the first element of the top-level array argument number <paramref name="argument"/>,
    /// which must hold <paramref name="value"/>.
    /// </summary>
    public static byte[] WithBitAbove64InFirstElement(byte[] data, int argument, ulong value)
    {
        var offset = (int)new BigInteger(data.AsSpan(4 + (argument * 32), 32), isUnsigned: true, isBigEndian: true);
        var start = 4 + offset + 32;
        Assert.Equal(new BigInteger(value), new BigInteger(data.AsSpan(start, 32), isUnsigned: true, isBigEndian: true));
        return WithBitAbove64At(data, start);
    }

    private static byte[] WithBitAbove64At(byte[] data, int wordStart)
    {
        var dirty = (byte[])data.Clone();
        dirty[wordStart + 23] |= 1;
        return dirty;
    }
}
