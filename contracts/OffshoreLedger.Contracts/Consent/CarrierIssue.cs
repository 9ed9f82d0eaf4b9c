using System.Text;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts.Consent;

/// <summary>
/// The carrier's EIP-712 <c>TitleIssue</c>: the carrier bound to the issue's carrier code lets the holder register this
/// exact title (B/L key = keys[0], all keys, lots, quantities, unit, holder) by <c>deadline</c>. The keys burn on use,
/// so one signature registers at most once.
/// </summary>
public static class CarrierIssue
{
    public const string TypeString =
        "TitleIssue(bytes8 carrierCode,address holder,bytes8 unit,bytes32 blKey,bytes32[] keys,bytes32[] lotKeys,uint64[] " +
            "quantities,uint40 deadline)";

    /// <summary>The digest the carrier signs, as <c>CollateralLedger._titleIssueDigest</c> computes it.</summary>
    public static byte[] Digest(TitleIssueData issue, ulong deadline, ConsentDomain domain)
    {
        ArgumentNullException.ThrowIfNull(issue);
        if (issue.Keys.Count == 0) throw new ArgumentException("A title has at least one key (keys[0] is the B/L's).", nameof(issue));
        var holder = issue.Holder.HexToByteArray();
        if (holder.Length != 20) throw new ArgumentException($"Not an address: {issue.Holder}", nameof(issue));
        var structHash = Keccak(
            Keccak(Encoding.ASCII.GetBytes(TypeString)),
            Left(issue.CarrierCode, 8),
            Right(holder),
            Left(issue.Unit, 8),
            Left(issue.Keys[0], 32),
            Keccak([.. issue.Keys.Select(k => Left(k, 32))]),
            Keccak([.. issue.LotKeys.Select(k => Left(k, 32))]),
            Keccak([.. issue.Quantities.Select(Word)]),
            Word(deadline));
        return Keccak([0x19, 0x01], PledgeConsent.DomainSeparator(domain), structHash);
    }

    /// <summary>The carrier signs the issue with its member key (65 bytes r ‖ s ‖ v).</summary>
    public static byte[] Sign(TitleIssueData issue, ulong deadline, ConsentDomain domain, string carrierPrivateKeyHex) =>
        PledgeConsent.Sign(Digest(issue, deadline, domain), carrierPrivateKeyHex);

    private static byte[] Keccak(params byte[][] parts) => Sha3Keccack.Current.CalculateHash([.. parts.SelectMany(p => p)]);

    /// <summary>A fixed-size bytesN value as its ABI word: left-aligned.</summary>
    private static byte[] Left(byte[] value, int size)
    {
        if (value.Length != size) throw new ArgumentException($"Expected {size} bytes, got {value.Length}.", nameof(value));
        var word = new byte[32];
        value.CopyTo(word, 0);
        return word;
    }

    private static byte[] Right(byte[] value)
    {
        var word = new byte[32];
        value.CopyTo(word, 32 - value.Length);
        return word;
    }

    private static byte[] Word(ulong value)
    {
        var word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(24), value);
        return word;
    }
}
