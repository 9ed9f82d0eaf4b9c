using System.Globalization;
using System.Text.Json;
using OffshoreLedger.Client.Documents;

namespace OffshoreLedger.Client.Dcsa;

/// <summary>
/// Reads a DCSA eBL 3.0 transport document (the JSON a carrier's eBL platform issues) into a
/// <see cref="BillOfLading"/>.
/// </summary>
/// <remarks>
/// Tolerant by design: absent optional parts become absent or empty fields, and what the financing
/// rules need but the JSON lacks is left blank for <see cref="Validation.DocumentValidator"/> to name.
/// The DCSA 3.0 transport document carries the vessel's name but not its IMO number; the importer
/// reads a <c>vesselIMONumber</c> on the vessel voyage (or on <c>transports</c>) when a platform adds
/// one, and otherwise the caller sets <see cref="BillOfLading.VesselImoNumber"/> from the booking.
/// 2.0-style forms (a single <c>HSCode</c>, <c>weight</c> and <c>weightUnit</c>) are read too.
/// </remarks>
public static class DcsaTransportDocumentImporter
{
    /// <summary>Imports a transport document from JSON text.</summary>
    /// <param name="json">The DCSA transport document.</param>
    /// <returns>The bill of lading; validate it before use.</returns>
    /// <exception cref="JsonException">The text is not JSON or its root is not an object.</exception>
    public static BillOfLading Import(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return Import(document.RootElement);
    }

    /// <summary>Imports a transport document from a stream of UTF-8 JSON.</summary>
    /// <param name="utf8Json">The DCSA transport document.</param>
    /// <returns>The bill of lading; validate it before use.</returns>
    /// <exception cref="JsonException">The text is not JSON or its root is not an object.</exception>
    public static BillOfLading Import(Stream utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        return Import(document.RootElement);
    }

    /// <summary>Imports a parsed transport document.</summary>
    /// <param name="transportDocument">The root object of the DCSA transport document.</param>
    /// <returns>The bill of lading; validate it before use.</returns>
    /// <exception cref="JsonException">The root is not an object.</exception>
    public static BillOfLading Import(JsonElement transportDocument)
    {
        if (transportDocument.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A DCSA transport document is a JSON object.");
        }

        var td = transportDocument;
        var parties = td.Child("documentParties");
        var transports = td.Child("transports");
        var vesselVoyage = transports.Child("vesselVoyages").Items().FirstOrDefault();
        if (vesselVoyage.ValueKind == JsonValueKind.Undefined)
        {
            // Pre-3.0 documents gave a single vesselVoyage object.
            vesselVoyage = transports.Child("vesselVoyage");
        }

        return new BillOfLading
        {
            TransportDocumentReference = td.Text("transportDocumentReference") ?? string.Empty,
            CarrierCode = td.Text("carrierCode") ?? string.Empty,
            CarrierCodeListProvider = td.Text("carrierCodeListProvider"),
            Shipper = ReadParty(parties.Child("shipper")) ?? new Party { Name = string.Empty },
            Consignee = ReadParty(parties.Child("consignee")),
            IsToOrder = td.Child("isToOrder").ValueKind == JsonValueKind.True,
            NotifyParty = parties.Child("notifyParties").Items().Select(ReadParty).FirstOrDefault(p => p is not null),
            VesselImoNumber = vesselVoyage.Text("vesselIMONumber") ?? transports.Text("vesselIMONumber") ?? string.Empty,
            VesselName = vesselVoyage.Text("vesselName") ?? string.Empty,
            VoyageNumber = vesselVoyage.Text("carrierExportVoyageNumber")
                ?? vesselVoyage.Text("universalExportVoyageReference") ?? string.Empty,
            PortOfLoading = transports.Child("portOfLoading").Text("UNLocationCode") ?? string.Empty,
            PortOfDischarge = transports.Child("portOfDischarge").Text("UNLocationCode") ?? string.Empty,
            ShippedOnBoardDate = ReadDate(td.Text("shippedOnBoardDate")),
            Containers = [.. td.Child("utilizedTransportEquipments").Items().Select(ReadContainer)],
            ConsignmentItems = [.. td.Child("consignmentItems").Items().Select(ReadConsignmentItem)],
        };
    }

    private static Party? ReadParty(JsonElement party)
    {
        if (party.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var lei = party.Child("identifyingCodes").Items()
            .FirstOrDefault(code => string.Equals(code.Text("codeListName"), "LEI", StringComparison.OrdinalIgnoreCase)
                || string.Equals(code.Text("codeListProvider"), "GLEIF", StringComparison.OrdinalIgnoreCase))
            .Text("partyCode");
        var registration = party.Child("taxLegalReferences").Items().FirstOrDefault();
        return new Party
        {
            Name = party.Text("partyName") ?? string.Empty,
            Lei = lei,
            RegistrationId = registration.Text("value"),
            CountryCode = registration.Text("countryCode") ?? party.Child("address").Text("countryCode"),
        };
    }

    private static ShippingContainer ReadContainer(JsonElement utilized) => new()
    {
        ContainerNumber = utilized.Child("equipment").Text("equipmentReference")
            ?? utilized.Text("equipmentReference") ?? string.Empty,
        SealNumbers = [.. utilized.Child("seals").Items().Select(seal => seal.Text("number")).OfType<string>()],
    };

    private static ConsignmentItem ReadConsignmentItem(JsonElement item)
    {
        var cargoItems = item.Child("cargoItems").Items().ToList();
        var packages = cargoItems.Select(c => c.Child("outerPackaging")).ToList();
        var packageCode = packages.Select(p => p.Text("packageCode")).FirstOrDefault(code => code is not null) ?? string.Empty;
        var weights = cargoItems.Select(ReadWeight).Where(w => w is not null).ToList();
        var weight = weights.Count == 0 ? ReadWeight(item) : Sum(weights!);

        return new ConsignmentItem
        {
            GoodsDescription = ReadDescription(item.Child("descriptionOfGoods")),
            HsCode = item.Child("HSCodes").Items().Select(code => code.ValueKind == JsonValueKind.String ? code.GetString() : null)
                .FirstOrDefault() ?? item.Text("HSCode") ?? string.Empty,
            Quantity = new Measure(Total(packages.Select(p => p.Number("numberOfPackages") ?? 0), "package counts"), packageCode),
            GrossWeight = weight ?? new Measure(0, string.Empty),
        };
    }

    private static string ReadDescription(JsonElement description) => description.ValueKind switch
    {
        JsonValueKind.String => description.GetString()!,
        JsonValueKind.Array => string.Join("\n", description.Items()
            .Where(line => line.ValueKind == JsonValueKind.String).Select(line => line.GetString())),
        _ => string.Empty,
    };

    private static Measure? ReadWeight(JsonElement holder)
    {
        var gross = holder.Child("cargoGrossWeight");
        if (gross.Number("value") is { } value)
        {
            return new Measure(value, gross.Text("unit") ?? string.Empty);
        }

        return holder.Number("weight") is { } legacy ? new Measure(legacy, holder.Text("weightUnit") ?? string.Empty) : null;
    }

    // Weights of cargo items in one consignment item share a unit in practice; a mix is left as the first unit.
    private static Measure Sum(List<Measure> weights) =>
        new(Total(weights.Where(w => w.Unit == weights[0].Unit).Select(w => w.Value), "cargo weights"), weights[0].Unit);

    /// <summary>A sum of the document's numbers; one beyond what a decimal holds is a malformed document, not an overflow.</summary>
    private static decimal Total(IEnumerable<decimal> values, string what)
    {
        try
        {
            return values.Sum();
        }
        catch (OverflowException)
        {
            throw new JsonException($"The {what} of a consignment item add up to more than a number can hold.");
        }
    }

    private static DateOnly? ReadDate(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? DateOnly.FromDateTime(instant.UtcDateTime)
            : null;
    }

    private static JsonElement Child(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static IEnumerable<JsonElement> Items(this JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];

    private static string? Text(this JsonElement element, string name)
    {
        var child = element.Child(name);
        return child.ValueKind switch
        {
            JsonValueKind.String => child.GetString(),
            JsonValueKind.Number => child.GetRawText(),
            _ => null,
        };
    }

    private static decimal? Number(this JsonElement element, string name)
    {
        var child = element.Child(name);
        return child.ValueKind == JsonValueKind.Number && child.TryGetDecimal(out var value) ? value : null;
    }
}
