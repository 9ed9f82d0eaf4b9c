using System.Security.Cryptography;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Keys;

/// <summary>
/// Computes collateral keys: HMAC-SHA256 under the consortium secret over each key's encoded fields
/// (<see cref="KeyMessage"/>). A node and a bank with the same secret compute the same keys from the
/// same trade, and an altered copy of a document still shares at least one key with the original.
/// </summary>
/// <param name="secret">The consortium's shared secret.</param>
public sealed class CollateralKeyDeriver(ConsortiumSecret secret)
{
    private readonly ConsortiumSecret _secret = secret ?? throw new ArgumentNullException(nameof(secret));

    /// <summary>
    /// Keys of a bill of lading: the B/L key, one container key per container (in document order),
    /// one shipment-lot key per HS subheading of its goods.
    /// </summary>
    /// <param name="billOfLading">The B/L.</param>
    /// <returns>The keys.</returns>
    /// <exception cref="InvalidTradeDocumentException">A key field is missing or invalid.</exception>
    public IReadOnlyList<CollateralKey> KeysFor(BillOfLading billOfLading) =>
        [.. CollateralKeyFields.For(billOfLading).Select(Derive)];

    /// <summary>Keys of a commercial invoice: by seller and number, then by its particulars.</summary>
    /// <param name="invoice">The invoice.</param>
    /// <returns>The two keys.</returns>
    /// <exception cref="InvalidTradeDocumentException">A key field is missing or invalid.</exception>
    public IReadOnlyList<CollateralKey> KeysFor(CommercialInvoice invoice) =>
        [.. CollateralKeyFields.For(invoice).Select(Derive)];

    /// <summary>Key of a settlement: its UETR.</summary>
    /// <param name="settlement">The settlement.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidTradeDocumentException">The UETR is missing or invalid.</exception>
    public CollateralKey KeyFor(SettlementRecord settlement) => Derive(CollateralKeyFields.For(settlement));

    /// <summary>Key of the lot a loading attestation attests.</summary>
    /// <param name="attestation">The attestation.</param>
    /// <returns>The shipment-lot key.</returns>
    /// <exception cref="InvalidTradeDocumentException">A lot field is missing or invalid.</exception>
    public CollateralKey KeyFor(LoadingAttestation attestation)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        return LotKey(attestation.Lot);
    }

    /// <summary>Keys of any trade document.</summary>
    /// <param name="document">The document.</param>
    /// <returns>Its keys.</returns>
    /// <exception cref="InvalidTradeDocumentException">A key field is missing or invalid.</exception>
    public IReadOnlyList<CollateralKey> KeysFor(ITradeDocument document) => document switch
    {
        BillOfLading billOfLading => KeysFor(billOfLading),
        CommercialInvoice invoice => KeysFor(invoice),
        SettlementRecord settlement => [KeyFor(settlement)],
        LoadingAttestation attestation => [KeyFor(attestation)],
        null => throw new ArgumentNullException(nameof(document)),
        _ => throw new ArgumentException($"No collateral keys are defined for {document.GetType().Name}.", nameof(document)),
    };

    /// <summary>Key of a shipment lot (vessel, voyage, port of loading, HS subheading).</summary>
    /// <param name="lot">The lot.</param>
    /// <returns>The shipment-lot key.</returns>
    /// <exception cref="InvalidTradeDocumentException">A lot field is missing or invalid.</exception>
    public CollateralKey LotKey(ShipmentLot lot) => Derive(CollateralKeyFields.For(lot));

    /// <summary>B/L key from a carrier code and B/L number as printed, for a bank holding only those.</summary>
    /// <param name="carrierCode">SCAC or SMDG code.</param>
    /// <param name="transportDocumentReference">The B/L number.</param>
    /// <returns>The B/L key.</returns>
    /// <exception cref="InvalidTradeDocumentException">Either is missing or invalid.</exception>
    public CollateralKey BillOfLadingKey(string carrierCode, string transportDocumentReference)
    {
        var errors = new List<FieldViolation>();
        var carrier = CarrierCode.Check(carrierCode);
        if (carrier.ToViolation("carrierCode") is { } badCarrier)
        {
            errors.Add(badCarrier);
        }

        var reference = IdentifierNormalizer.Normalize(transportDocumentReference);
        if (reference.Length == 0)
        {
            errors.Add(
                new FieldViolation("transportDocumentReference", "transport document reference is required", ViolationCode.Required));
        }

        return errors.Count > 0
            ? throw new InvalidTradeDocumentException(errors)
            : Derive(new CollateralKeyInput(CollateralKeyKind.BillOfLading, [carrier.Normalized, reference]));
    }

    /// <summary>Container key from a container number and the sailing it is on.</summary>
    /// <param name="containerNumber">ISO 6346 number as printed.</param>
    /// <param name="vesselImoNumber">IMO number of the vessel.</param>
    /// <param name="voyageNumber">Export voyage number.</param>
    /// <returns>The container key.</returns>
    /// <exception cref="InvalidTradeDocumentException">A field is missing or invalid.</exception>
    public CollateralKey ContainerKey(string containerNumber, string vesselImoNumber, string voyageNumber)
    {
        var errors = new List<FieldViolation>();
        var container = ContainerNumber.Check(containerNumber);
        var vessel = ImoNumber.Check(vesselImoNumber);
        var voyage = IdentifierNormalizer.Normalize(voyageNumber);
        errors.AddRange(new[] { container.ToViolation("containerNumber"), vessel.ToViolation("vesselImoNumber") }.OfType<FieldViolation>());
        if (voyage.Length == 0)
        {
            errors.Add(new FieldViolation("voyageNumber", "voyage number is required", ViolationCode.Required));
        }

        return errors.Count > 0
            ? throw new InvalidTradeDocumentException(errors)
            : Derive(new CollateralKeyInput(CollateralKeyKind.Container, [container.Normalized, vessel.Normalized, voyage]));
    }

    /// <summary>Settlement key from a UETR as printed.</summary>
    /// <param name="uetr">A version 4 UUID.</param>
    /// <returns>The settlement key.</returns>
    /// <exception cref="InvalidTradeDocumentException">Not a valid UETR.</exception>
    public CollateralKey SettlementKey(string uetr)
    {
        var check = Uetr.Check(uetr);
        return check.ToViolation("uetr") is { } violation
            ? throw new InvalidTradeDocumentException([violation])
            : Derive(new CollateralKeyInput(CollateralKeyKind.Settlement, [check.Normalized]));
    }

    /// <summary>Applies the secret to prepared key fields.</summary>
    /// <param name="input">Kind and normalised fields, as <see cref="CollateralKeyFields"/> makes them.</param>
    /// <returns>The key.</returns>
    public CollateralKey Derive(CollateralKeyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new CollateralKey(input.Kind, HMACSHA256.HashData(_secret.Bytes, input.ToMessage()));
    }
}
