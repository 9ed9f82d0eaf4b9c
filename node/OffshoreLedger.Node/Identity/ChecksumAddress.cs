using System.Collections.Concurrent;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Node.Identity;

/// <summary>
/// Addresses as every answer of the API gives them: EIP-55 mixed case (<c>0x5aAeb605…</c>), whatever case the index,
/// the chain or the request held them in, so a client comparing addresses as text never sees one member two ways.
/// </summary>
public static class ChecksumAddress
{
    /// <summary>
    /// The addresses answers name are the consortium's members, a small set: each is hashed once (a Keccak per
    /// address per answer would cost the hot CheckCollateral path), up to a bound an outsider cannot grow past.
    /// </summary>
    private const int MaxCached = 10_000;

    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The address in EIP-55 case; the zero address for none; text that is no address unchanged.</summary>
    public static string Of(string? address)
    {
        if (string.IsNullOrEmpty(address)) return Hex.ZeroAddress;
        if (Cache.TryGetValue(address, out var cached)) return cached;
        if (!Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(address)) return address;
        var checksummed = Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(address);
        if (Cache.Count < MaxCached) Cache.TryAdd(address, checksummed);
        return checksummed;
    }
}
