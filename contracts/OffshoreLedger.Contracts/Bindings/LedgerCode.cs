using System.Text;

namespace OffshoreLedger.Contracts.Bindings;

/// <summary>
/// Short codes as the contract keeps them, in <c>bytes8</c>: ASCII, left-aligned, zero-padded. Carrier codes (NMFTA
/// SCAC such as <c>MAEU</c>, or SMDG), UN/LOCODEs (<c>SGSIN</c>) and units (<c>TNE</c>).
/// </summary>
public static class LedgerCode
{
    /// <summary>The 8 bytes of a code of 1 to 8 printable ASCII characters.</summary>
    public static byte[] ToBytes(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length is 0 or > 8 || code.Any(c => c is < '!' or > '~'))
        {
            throw new ArgumentException($"A ledger code is 1 to 8 printable ASCII characters without spaces; got '{code}'.", nameof(code));
        }
        var bytes = new byte[8];
        Encoding.ASCII.GetBytes(code).CopyTo(bytes, 0);
        return bytes;
    }

    /// <summary>The code the 8 bytes hold (trailing zeros dropped).</summary>
    public static string FromBytes(byte[] bytes) => Encoding.ASCII.GetString(bytes).TrimEnd('\0');
}
