using System.Buffers.Binary;
using System.Text;

namespace OffshoreLedger.Client.Keys;

/// <summary>
/// The bytes a collateral key's HMAC is computed over: the domain, the kind's tag and each normalised
/// field, every one prefixed with its UTF-8 length as a 4-byte big-endian integer. Length prefixes make
/// the encoding unambiguous ("AB"+"C" and "A"+"BC" differ) whatever the fields contain.
/// </summary>
public static class KeyMessage
{
    /// <summary>Domain separator: the secret may key other things, which must never collide with keys.</summary>
    public const string Domain = "offshore-ledger/collateral-key/v1";

    /// <summary>The tag of each key kind, as encoded.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>An upper-case ASCII tag.</returns>
    public static string Tag(CollateralKeyKind kind) => kind switch
    {
        CollateralKeyKind.BillOfLading => "BILL_OF_LADING",
        CollateralKeyKind.Container => "CONTAINER",
        CollateralKeyKind.ShipmentLot => "SHIPMENT_LOT",
        CollateralKeyKind.Invoice => "INVOICE",
        CollateralKeyKind.InvoiceParticulars => "INVOICE_PARTICULARS",
        CollateralKeyKind.Settlement => "SETTLEMENT",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a collateral key kind."),
    };

    /// <summary>Encodes the message for a key of <paramref name="kind"/> over already-normalised fields.</summary>
    /// <param name="kind">The key kind.</param>
    /// <param name="fields">The normalised fields, in the order KEYS.md gives for the kind.</param>
    /// <returns>The HMAC input.</returns>
    public static byte[] Encode(CollateralKeyKind kind, params ReadOnlySpan<string> fields)
    {
        using var buffer = new MemoryStream();
        Append(buffer, Domain);
        Append(buffer, Tag(kind));
        foreach (var field in fields)
        {
            Append(buffer, field);
        }

        return buffer.ToArray();
    }

    private static void Append(MemoryStream buffer, string field)
    {
        var bytes = Encoding.UTF8.GetBytes(field);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }
}
