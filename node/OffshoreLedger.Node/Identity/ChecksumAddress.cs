using OffshoreLedger.Contracts.Replay;

namespace OffshoreLedger.Node.Identity;

/// <summary>
/// Addresses as every answer of the API gives them: EIP-55 mixed case (<c>0x5aAeb605…</c>), whatever case the index,
/// the chain or the request held them in, so a client comparing addresses as text never sees one member two ways.
/// </summary>
public static class ChecksumAddress
{
    /// <summary>The address in EIP-55 case; the zero address for none; text that is no address unchanged.</summary>
    public static string Of(string? address) =>
        string.IsNullOrEmpty(address) ? Hex.ZeroAddress
        : Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(address) ? Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(address)
        : address;
}
