namespace OffshoreLedger.Client.Keys;

/// <summary>What a collateral key stands for. client-sdk/KEYS.md gives the full rules.</summary>
public enum CollateralKeyKind
{
    /// <summary>No kind; never produced, the zero value of the wire enum.</summary>
    Unspecified = 0,

    /// <summary>The bill of lading: carrier code + B/L number.</summary>
    /// <remarks>
    /// Survives re-typing the number (spaces, dashes, case, full-width digits) and any change to
    /// parties, goods, quantities, dates or containers. Not a new B/L number or carrier.
    /// </remarks>
    BillOfLading = 1,

    /// <summary>One container on one sailing: container number + vessel IMO + voyage.</summary>
    /// <remarks>
    /// Survives a new B/L number, a new carrier code (house B/L), other parties and goods. Not a
    /// different voyage or vessel: the container is rightly financeable again on its next sailing.
    /// </remarks>
    Container = 2,

    /// <summary>The shipment lot: vessel IMO + voyage + port of loading + HS subheading (6 digits).</summary>
    /// <remarks>
    /// Survives a new B/L number, other containers and parties, national HS digits and inflated
    /// quantities; shared by every title of the lot, it is the unit of quantity conservation.
    /// </remarks>
    ShipmentLot = 3,

    /// <summary>The invoice by number: seller + invoice number.</summary>
    /// <remarks>
    /// Survives re-typing the number and changes to amount, date, buyer, lines and seller's name.
    /// Not a new invoice number.
    /// </remarks>
    Invoice = 4,

    /// <summary>The invoice by its particulars: seller + buyer + amount + currency + issue date.</summary>
    /// <remarks>
    /// Survives re-numbering and changes to lines, incoterm and linked B/L. Not a change of amount,
    /// currency, date or either party.
    /// </remarks>
    InvoiceParticulars = 5,

    /// <summary>The settlement: UETR.</summary>
    /// <remarks>Survives everything but the UETR itself, including its letter case.</remarks>
    Settlement = 6,
}
