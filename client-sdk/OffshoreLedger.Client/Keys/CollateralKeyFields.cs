using System.Globalization;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Keys;

/// <summary>
/// Picks and normalises the fields each collateral key of a document is computed from, validating
/// every identifier on the way. Needs no secret; <see cref="CollateralKeyDeriver"/> applies it.
/// </summary>
public static class CollateralKeyFields
{
    /// <summary>Key inputs of a bill of lading: B/L, then each container, then each shipment lot.</summary>
    /// <param name="billOfLading">The B/L.</param>
    /// <returns>The inputs, in that order, without repeats.</returns>
    /// <exception cref="InvalidTradeDocumentException">A key field is missing or invalid.</exception>
    public static IReadOnlyList<CollateralKeyInput> For(BillOfLading billOfLading)
    {
        ArgumentNullException.ThrowIfNull(billOfLading);
        var errors = new List<FieldViolation>();
        var carrier = Take(errors, "carrierCode", CarrierCode.Check(billOfLading.CarrierCode));
        var reference = TakeIdentifier(
            errors, "transportDocumentReference", billOfLading.TransportDocumentReference, "transport document reference");
        var vessel = Take(errors, "vesselImoNumber", ImoNumber.Check(billOfLading.VesselImoNumber));
        var voyage = TakeIdentifier(errors, "voyageNumber", billOfLading.VoyageNumber, "voyage number");
        var portOfLoading = Take(errors, "portOfLoading", UnLocode.Check(billOfLading.PortOfLoading));
        var containers = billOfLading.Containers ?? [];
        var items = billOfLading.ConsignmentItems ?? [];
        var containerNumbers = containers
            .Select((c, i) => Take(errors, $"containers[{i}].containerNumber", ContainerNumber.Check(c.ContainerNumber)))
            .ToList();
        var subheadings = items
            .Select((item, i) => Take(errors, $"consignmentItems[{i}].hsCode", HsCode.Check(item.HsCode)))
            .ToList();
        ThrowIfAny(errors);

        var inputs = new List<CollateralKeyInput> { new(CollateralKeyKind.BillOfLading, [carrier, reference]) };
        inputs.AddRange(containerNumbers.Distinct(StringComparer.Ordinal)
            .Select(number => new CollateralKeyInput(CollateralKeyKind.Container, [number, vessel, voyage])));
        inputs.AddRange(subheadings.Select(hs => hs[..6]).Distinct(StringComparer.Ordinal)
            .Select(hs6 => new CollateralKeyInput(CollateralKeyKind.ShipmentLot, [vessel, voyage, portOfLoading, hs6])));
        return inputs;
    }

    /// <summary>Key inputs of a commercial invoice: by number, then by particulars.</summary>
    /// <param name="invoice">The invoice.</param>
    /// <returns>The two inputs.</returns>
    /// <exception cref="InvalidTradeDocumentException">A key field is missing or invalid.</exception>
    public static IReadOnlyList<CollateralKeyInput> For(CommercialInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var errors = new List<FieldViolation>();
        var seller = PartyIdentity(errors, "seller", invoice.Seller);
        var buyer = PartyIdentity(errors, "buyer", invoice.Buyer);
        var number = TakeIdentifier(errors, "invoiceNumber", invoice.InvoiceNumber, "invoice number");
        var amount = Amount(errors, "totalAmountMinor", invoice.TotalAmountMinor);
        var currency = Take(errors, "currency", CurrencyCode.Check(invoice.Currency));
        ThrowIfAny(errors);

        return
        [
            new(CollateralKeyKind.Invoice, [seller, number]),
            new(CollateralKeyKind.InvoiceParticulars, [seller, buyer, amount, currency, IsoDate(invoice.IssueDate)]),
        ];
    }

    /// <summary>Key input of a settlement: its UETR.</summary>
    /// <param name="settlement">The settlement.</param>
    /// <returns>The input.</returns>
    /// <exception cref="InvalidTradeDocumentException">The UETR is missing or invalid.</exception>
    public static CollateralKeyInput For(SettlementRecord settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        var errors = new List<FieldViolation>();
        var uetr = Take(errors, "uetr", Uetr.Check(settlement.Uetr));
        ThrowIfAny(errors);
        return new CollateralKeyInput(CollateralKeyKind.Settlement, [uetr]);
    }

    /// <summary>Key input of a shipment lot.</summary>
    /// <param name="lot">The lot.</param>
    /// <returns>The input.</returns>
    /// <exception cref="InvalidTradeDocumentException">A lot field is missing or invalid.</exception>
    public static CollateralKeyInput For(ShipmentLot lot)
    {
        ArgumentNullException.ThrowIfNull(lot);
        var errors = new List<FieldViolation>();
        var vessel = Take(errors, "vesselImoNumber", ImoNumber.Check(lot.VesselImoNumber));
        var voyage = TakeIdentifier(errors, "voyageNumber", lot.VoyageNumber, "voyage number");
        var portOfLoading = Take(errors, "portOfLoading", UnLocode.Check(lot.PortOfLoading));
        var hs = Take(errors, "hsCode", HsCode.Check(lot.HsCode));
        ThrowIfAny(errors);
        return new CollateralKeyInput(CollateralKeyKind.ShipmentLot, [vessel, voyage, portOfLoading, hs[..6]]);
    }

    /// <summary>
    /// How a party is named in a key: "LEI:" and its LEI, else "REG:", its country, ":" and its
    /// registration id. Never its name.
    /// </summary>
    /// <param name="party">The party.</param>
    /// <returns>The identity text.</returns>
    /// <exception cref="InvalidTradeDocumentException">The party has neither a valid LEI nor a registration id with country.</exception>
    public static string PartyIdentity(Party party)
    {
        var errors = new List<FieldViolation>();
        var identity = PartyIdentity(errors, "party", party);
        ThrowIfAny(errors);
        return identity;
    }

    private static string PartyIdentity(List<FieldViolation> errors, string path, Party? party)
    {
        if (party is null)
        {
            errors.Add(new FieldViolation(path, "party is required", ViolationCode.Required));
            return string.Empty;
        }

        // One rule for everyone: the LEI wins whenever the document gives one.
        if (!string.IsNullOrWhiteSpace(party.Lei))
        {
            return "LEI:" + Take(errors, $"{path}.lei", LegalEntityIdentifier.Check(party.Lei));
        }

        if (!string.IsNullOrWhiteSpace(party.RegistrationId))
        {
            var id = TakeIdentifier(errors, $"{path}.registrationId", party.RegistrationId, "registration id");
            var country = IdentifierNormalizer.Normalize(party.CountryCode);
            if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
            {
                errors.Add(
                    new FieldViolation(
                        $"{path}.countryCode", "an ISO 3166-1 alpha-2 country is required with a registration id", ViolationCode.Required));
            }

            return $"REG:{country}:{id}";
        }

        errors.Add(
            new FieldViolation($"{path}.lei", "an LEI or a registration id is required to identify the party", ViolationCode.Required));
        return string.Empty;
    }

    private static string Take(List<FieldViolation> errors, string field, IdentifierCheck check)
    {
        if (check.ToViolation(field) is { } violation)
        {
            errors.Add(violation);
        }

        return check.Normalized;
    }

    private static string TakeIdentifier(List<FieldViolation> errors, string field, string? value, string what)
    {
        var normalized = IdentifierNormalizer.Normalize(value);
        if (normalized.Length == 0)
        {
            errors.Add(new FieldViolation(field, $"{what} is required (letters or digits)", ViolationCode.Required));
        }

        return normalized;
    }

    private static string Amount(List<FieldViolation> errors, string field, long amountMinor)
    {
        if (amountMinor is < 0 or > DocumentValidator.MaxAmountMinor)
        {
            errors.Add(new FieldViolation(field, $"amount {amountMinor} is out of range", ViolationCode.OutOfRange));
        }

        return amountMinor.ToString(CultureInfo.InvariantCulture);
    }

    private static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void ThrowIfAny(List<FieldViolation> errors)
    {
        if (errors.Count > 0)
        {
            throw new InvalidTradeDocumentException(errors);
        }
    }
}
