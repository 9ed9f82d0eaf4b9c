namespace OffshoreLedger.Node.Tests;

/// <summary>An address as the node's answers give it: EIP-55 mixed case.</summary>
internal static class Eip55
{
    public static string Of(string address) => Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(address);
}
