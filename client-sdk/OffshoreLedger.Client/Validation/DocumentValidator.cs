using OffshoreLedger.Client.Documents;

namespace OffshoreLedger.Client.Validation;

/// <summary>
/// Validates trade documents field by field and returns every violation, each named by its path in
/// the document's JSON ("containers[1].containerNumber").
/// </summary>
/// <param name="timeProvider">The clock that decides which dates lie in the future; the system clock when null.</param>
public sealed class DocumentValidator(TimeProvider? timeProvider = null)
{
    /// <summary>
    /// Documents dated before this are not plausible trade finance documents: no bank finances cargo
    /// shipped a quarter-century ago, and such dates are mostly typing errors (2206 for 2026).
    /// </summary>
    public static readonly DateOnly EarliestPlausibleDate = new(2000, 1, 1);

    /// <summary>
    /// Amounts above 2^53 - 1 minor units cannot be hashed exactly: RFC 8785 writes numbers as IEEE doubles.
    /// </summary>
    public const long MaxAmountMinor = (1L << 53) - 1;

    private readonly TimeProvider _clock = timeProvider ?? TimeProvider.System;

    /// <summary>A validator on the system clock.</summary>
    public static DocumentValidator Default { get; } = new();

    /// <summary>Validates a bill of lading.</summary>
    /// <param name="billOfLading">The B/L.</param>
    /// <returns>Every violation found.</returns>
    public ValidationResult Validate(BillOfLading billOfLading)
    {
        ArgumentNullException.ThrowIfNull(billOfLading);
        var v = new Violations();
        v.RequireText("transportDocumentReference", billOfLading.TransportDocumentReference, "transport document reference");
        v.Add("carrierCode", CarrierCode.Check(billOfLading.CarrierCode));
        if (billOfLading.CarrierCodeListProvider is { } provider && provider is not ("NMFTA" or "SMDG"))
        {
            v.Add("carrierCodeListProvider", $"'{provider}' is not a carrier code list provider (NMFTA or SMDG)",
                ViolationCode.UnknownCode);
        }

        v.Party("shipper", billOfLading.Shipper, requireIdentifier: false);
        if (billOfLading.Consignee is { } consignee)
        {
            v.Party("consignee", consignee, requireIdentifier: false);
        }
        else if (!billOfLading.IsToOrder)
        {
            v.Add("consignee", "a straight B/L must name its consignee (or be made out to order)", ViolationCode.Required);
        }

        if (billOfLading.NotifyParty is { } notify)
        {
            v.Party("notifyParty", notify, requireIdentifier: false);
        }

        v.Add("vesselImoNumber", ImoNumber.Check(billOfLading.VesselImoNumber));
        v.RequireText("vesselName", billOfLading.VesselName, "vessel name");
        v.RequireIdentifier("voyageNumber", billOfLading.VoyageNumber, "voyage number");
        v.Add("portOfLoading", UnLocode.Check(billOfLading.PortOfLoading));
        v.Add("portOfDischarge", UnLocode.Check(billOfLading.PortOfDischarge));
        if (IdentifierNormalizer.Normalize(billOfLading.PortOfLoading) is { Length: > 0 } pol
            && pol == IdentifierNormalizer.Normalize(billOfLading.PortOfDischarge))
        {
            v.Add("portOfDischarge", "port of discharge is the port of loading", ViolationCode.Inconsistent);
        }

        if (billOfLading.ShippedOnBoardDate is { } shipped)
        {
            v.PastDate("shippedOnBoardDate", shipped, Today);
        }
        else
        {
            // A received-for-shipment B/L proves no cargo is on a ship yet; banks finance shipped B/Ls.
            v.Add("shippedOnBoardDate", "shipped-on-board date is required", ViolationCode.Required);
        }

        ValidateContainers(v, billOfLading.Containers);
        ValidateConsignmentItems(v, billOfLading.ConsignmentItems);
        return v.ToResult();
    }

    /// <summary>Validates a commercial invoice.</summary>
    /// <param name="invoice">The invoice.</param>
    /// <returns>Every violation found.</returns>
    public ValidationResult Validate(CommercialInvoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var v = new Violations();
        v.Party("seller", invoice.Seller, requireIdentifier: true);
        v.Party("buyer", invoice.Buyer, requireIdentifier: true);
        v.RequireIdentifier("invoiceNumber", invoice.InvoiceNumber, "invoice number");
        v.PastDate("issueDate", invoice.IssueDate, Today);
        v.Amount("totalAmountMinor", invoice.TotalAmountMinor);
        v.Add("currency", CurrencyCode.Check(invoice.Currency));
        if (string.IsNullOrWhiteSpace(invoice.Incoterm))
        {
            v.Add("incoterm", "incoterm is required", ViolationCode.Required);
        }
        else if (!Incoterms.Contains(IdentifierNormalizer.Normalize(invoice.Incoterm)))
        {
            v.Add("incoterm", $"'{invoice.Incoterm}' is not an Incoterms 2020 rule ({string.Join(", ", Incoterms)})",
                ViolationCode.UnknownCode);
        }

        if (invoice.Lines is null)
        {
            v.Add("lines", "lines must be a list (empty when the invoice has none)", ViolationCode.Required);
        }
        else
        {
            for (var i = 0; i < invoice.Lines.Count; i++)
            {
                var path = $"lines[{i}]";
                var line = invoice.Lines[i];
                if (line is null)
                {
                    v.Add(path, "a line is required here (the list holds a null)", ViolationCode.Required);
                    continue;
                }

                v.RequireText($"{path}.description", line.Description, "line description");
                if (line.HsCode is not null)
                {
                    v.Add($"{path}.hsCode", HsCode.Check(line.HsCode));
                }

                v.Measure($"{path}.quantity", line.Quantity);
                v.Amount($"{path}.amountMinor", line.AmountMinor);
            }
        }

        return v.ToResult();
    }

    /// <summary>Validates a settlement record.</summary>
    /// <param name="settlement">The settlement.</param>
    /// <returns>Every violation found.</returns>
    public ValidationResult Validate(SettlementRecord settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        var v = new Violations();
        v.Add("uetr", Uetr.Check(settlement.Uetr));
        v.Party("debtor", settlement.Debtor, requireIdentifier: false);
        v.Party("creditor", settlement.Creditor, requireIdentifier: false);
        v.Amount("amountMinor", settlement.AmountMinor);
        v.Add("currency", CurrencyCode.Check(settlement.Currency));

        // Payments may be instructed up to a year ahead of their value date.
        v.Date("valueDate", settlement.ValueDate, EarliestPlausibleDate, Today.AddYears(1));
        if (settlement.InvoiceReferences is null || settlement.InvoiceReferences.Count == 0)
        {
            v.Add("invoiceReferences", "a trade settlement must reference the invoices it pays", ViolationCode.Required);
        }
        else
        {
            for (var i = 0; i < settlement.InvoiceReferences.Count; i++)
            {
                v.RequireIdentifier($"invoiceReferences[{i}]", settlement.InvoiceReferences[i], "invoice reference");
            }
        }

        return v.ToResult();
    }

    /// <summary>Validates a loading attestation.</summary>
    /// <param name="attestation">The attestation.</param>
    /// <returns>Every violation found.</returns>
    public ValidationResult Validate(LoadingAttestation attestation)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var v = new Violations();
        v.RequireIdentifier("attestationReference", attestation.AttestationReference, "attestation reference");
        ShipmentLotRules(v, "lot", attestation.Lot);
        v.Measure("quantity", attestation.Quantity);
        if (attestation.LoadedAt > _clock.GetUtcNow().AddDays(1))
        {
            v.Add("loadedAt", $"{attestation.LoadedAt:O} is in the future", ViolationCode.ImplausibleDate);
        }
        else if (DateOnly.FromDateTime(attestation.LoadedAt.UtcDateTime) < EarliestPlausibleDate)
        {
            v.Add("loadedAt", $"{attestation.LoadedAt:O} is before {EarliestPlausibleDate:yyyy-MM-dd}", ViolationCode.ImplausibleDate);
        }

        v.RequireText("attestingMember", attestation.AttestingMember, "attesting member");
        return v.ToResult();
    }

    private static readonly string[] Incoterms = ["EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"];

    // A day of slack: a document dated "today" in Singapore is still "tomorrow" nowhere yet in UTC.
    private DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(1);

    private static void ShipmentLotRules(Violations v, string? prefix, ShipmentLot? lot)
    {
        string P(string field) => prefix is null ? field : $"{prefix}.{field}";
        if (lot is null)
        {
            v.Add(prefix ?? "lot", "shipment lot is required", ViolationCode.Required);
            return;
        }

        v.Add(P("vesselImoNumber"), ImoNumber.Check(lot.VesselImoNumber));
        v.RequireIdentifier(P("voyageNumber"), lot.VoyageNumber, "voyage number");
        v.Add(P("portOfLoading"), UnLocode.Check(lot.PortOfLoading));
        v.Add(P("hsCode"), HsCode.Check(lot.HsCode));
    }

    private static void ValidateContainers(Violations v, IReadOnlyList<ShippingContainer>? containers)
    {
        if (containers is null || containers.Count == 0)
        {
            v.Add("containers", "at least one container is required", ViolationCode.Required);
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var path = $"containers[{i}]";
            if (containers[i] is null)
            {
                v.Add(path, "a container is required here (the list holds a null)", ViolationCode.Required);
                continue;
            }

            var check = ContainerNumber.Check(containers[i].ContainerNumber);
            v.Add($"{path}.containerNumber", check);
            if (check.IsValid && !seen.TryAdd(check.Normalized, i))
            {
                v.Add($"{path}.containerNumber", $"container {check.Normalized} is already listed at containers[{seen[check.Normalized]}]",
                    ViolationCode.Inconsistent);
            }

            var seals = containers[i].SealNumbers ?? [];
            for (var s = 0; s < seals.Count; s++)
            {
                v.RequireIdentifier($"{path}.sealNumbers[{s}]", seals[s], "seal number");
            }
        }
    }

    private static void ValidateConsignmentItems(Violations v, IReadOnlyList<ConsignmentItem>? items)
    {
        if (items is null || items.Count == 0)
        {
            v.Add("consignmentItems", "at least one consignment item (the goods) is required", ViolationCode.Required);
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var path = $"consignmentItems[{i}]";
            if (items[i] is null)
            {
                v.Add(path, "a consignment item is required here (the list holds a null)", ViolationCode.Required);
                continue;
            }

            v.RequireText($"{path}.goodsDescription", items[i].GoodsDescription, "goods description");
            v.Add($"{path}.hsCode", HsCode.Check(items[i].HsCode));
            v.Measure($"{path}.quantity", items[i].Quantity);
            v.Measure($"{path}.grossWeight", items[i].GrossWeight, WeightUnits);
        }
    }

    private static readonly string[] WeightUnits = ["KGM", "TNE", "LBR"];

    /// <summary>Collects violations in document order.</summary>
    private sealed class Violations
    {
        private readonly List<FieldViolation> _list = [];

        public void Add(string field, string reason, ViolationCode code) => _list.Add(new FieldViolation(field, reason, code));

        public void Add(string field, IdentifierCheck check)
        {
            if (check.ToViolation(field) is { } violation)
            {
                _list.Add(violation);
            }
        }

        public void RequireText(string field, string? value, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(field, $"{what} is required", ViolationCode.Required);
            }
        }

        // Identifiers must keep at least one letter or digit once spaces and punctuation are stripped.
        public void RequireIdentifier(string field, string? value, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(field, $"{what} is required", ViolationCode.Required);
            }
            else if (IdentifierNormalizer.Normalize(value).Length == 0)
            {
                Add(field, $"{what} '{value}' has no letters or digits", ViolationCode.Malformed);
            }
        }

        public void Party(string path, Party? party, bool requireIdentifier)
        {
            if (party is null)
            {
                Add(path, "party is required", ViolationCode.Required);
                return;
            }

            RequireText($"{path}.name", party.Name, "party name");
            if (party.Lei is not null)
            {
                Add($"{path}.lei", LegalEntityIdentifier.Check(party.Lei));
            }

            if (party.RegistrationId is not null)
            {
                RequireIdentifier($"{path}.registrationId", party.RegistrationId, "registration id");
                if (party.CountryCode is null)
                {
                    Add($"{path}.countryCode", "country of registration is required with a registration id", ViolationCode.Required);
                }
            }

            if (party.CountryCode is not null && !IsCountryCodeShape(party.CountryCode))
            {
                Add($"{path}.countryCode", $"'{party.CountryCode}' is not an ISO 3166-1 alpha-2 country code", ViolationCode.Malformed);
            }

            if (requireIdentifier && party.Lei is null && party.RegistrationId is null)
            {
                Add($"{path}.lei", "an LEI or a registration id is required to identify the party", ViolationCode.Required);
            }
        }

        public void Amount(string field, long amountMinor)
        {
            if (amountMinor < 0)
            {
                Add(field, $"amount {amountMinor} is negative", ViolationCode.OutOfRange);
            }
            else if (amountMinor > MaxAmountMinor)
            {
                Add(field, $"amount {amountMinor} exceeds {MaxAmountMinor} minor units", ViolationCode.OutOfRange);
            }
        }

        public void Measure(string field, Measure? measure, string[]? allowedUnits = null)
        {
            if (measure is null)
            {
                Add(field, "quantity is required", ViolationCode.Required);
                return;
            }

            if (measure.Value < 0)
            {
                Add($"{field}.value", $"{measure.Value} is negative", ViolationCode.OutOfRange);
            }

            var unit = IdentifierNormalizer.Normalize(measure.Unit);
            if (unit.Length == 0)
            {
                Add($"{field}.unit", "unit is required", ViolationCode.Required);
            }
            else if (allowedUnits is not null && !allowedUnits.Contains(unit))
            {
                Add($"{field}.unit", $"'{measure.Unit}' is not a weight unit ({string.Join(", ", allowedUnits)})",
                    ViolationCode.UnknownCode);
            }
            else if (unit.Length is < 2 or > 3)
            {
                Add($"{field}.unit", $"'{measure.Unit}' is not a UN/ECE Recommendation 20/21 unit code", ViolationCode.Malformed);
            }
        }

        public void PastDate(string field, DateOnly date, DateOnly latest) => Date(field, date, EarliestPlausibleDate, latest);

        public void Date(string field, DateOnly date, DateOnly earliest, DateOnly latest)
        {
            if (date < earliest)
            {
                Add(field, $"{date:yyyy-MM-dd} is before {earliest:yyyy-MM-dd}", ViolationCode.ImplausibleDate);
            }
            else if (date > latest)
            {
                Add(field, $"{date:yyyy-MM-dd} is too far in the future (latest {latest:yyyy-MM-dd})", ViolationCode.ImplausibleDate);
            }
        }

        public ValidationResult ToResult() => _list.Count == 0 ? ValidationResult.Valid : new ValidationResult(_list);

        private static bool IsCountryCodeShape(string code) =>
            code.Length == 2 && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]);
    }
}
