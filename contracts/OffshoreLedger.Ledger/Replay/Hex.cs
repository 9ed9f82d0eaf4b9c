namespace OffshoreLedger.Ledger.Replay;

/// <summary>Canonical text forms shared by every producer of snapshots.</summary>
public static class Hex
{
    public const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    public static string Of(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>An address in its canonical text: lower-case 0x-hex; the zero address for none.</summary>
    public static string Address(string? address) =>
        string.IsNullOrEmpty(address) ? ZeroAddress : address.ToLowerInvariant();

    /// <summary>
    /// Any other 0x-hex value (a collateral key, a lot key, a Merkle root, a hash) in its canonical text: lower-case.
    /// Unlike <see cref="Address"/>, there is no default for a missing one.
    /// </summary>
    public static string Normal(string hex) => hex.ToLowerInvariant();

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);

    /// <summary>Writes the bytes of 0x-hex text into <paramref name="destination"/>; returns how many.</summary>
    public static int Decode(string hex, Span<byte> destination)
    {
        var digits = hex.AsSpan(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? 2 : 0);
        if (Convert.FromHexString(digits, destination, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            throw new FormatException($"'{hex}' is not hex or does not fit");
        }
        return written;
    }

    /// <summary>The bytes of 0x-hex text given as UTF-8 (a JSON string's raw value), without making a string of it first.</summary>
    public static byte[] FromUtf8(ReadOnlySpan<byte> utf8) =>
        Convert.FromHexString(utf8.Length >= 2 && utf8[0] == '0' && (utf8[1] | 0x20) == 'x' ? utf8[2..] : utf8);
}
