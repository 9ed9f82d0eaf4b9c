using System.Text.RegularExpressions;

namespace OffshoreLedger.Client.Dcsa;

/// <summary>
/// Where a field of an imported <see cref="Documents.BillOfLading"/> came from in the DCSA eBL 3.0 transport document, so
/// a violation names the path the sender can find in the JSON it sent (<c>utilizedTransportEquipments[0].equipment.equipmentReference</c>)
/// rather than the SDK model's (<c>containers[0].containerNumber</c>). Mirrors <see cref="DcsaTransportDocumentImporter"/>.
/// </summary>
public static class DcsaFieldPaths
{
    private static readonly (Regex Model, string Dcsa)[] Rules =
    [
        (ModelPath(@"(shipper|consignee)((?:\..*)?)"), "documentParties.$1$2"),
        (ModelPath(@"notifyParty((?:\..*)?)"), "documentParties.notifyParties[0]$1"),
        (ModelPath(@"vesselImoNumber"), "transports.vesselVoyages[0].vesselIMONumber"),
        (ModelPath(@"vesselName"), "transports.vesselVoyages[0].vesselName"),
        (ModelPath(@"voyageNumber"), "transports.vesselVoyages[0].carrierExportVoyageNumber"),
        (ModelPath(@"(portOfLoading|portOfDischarge)"), "transports.$1.UNLocationCode"),
        (ModelPath(@"containers\[(\d+)\]\.containerNumber"), "utilizedTransportEquipments[$1].equipment.equipmentReference"),
        (ModelPath(@"containers\[(\d+)\]\.sealNumbers\[(\d+)\]"), "utilizedTransportEquipments[$1].seals[$2].number"),
        (ModelPath(@"containers((?:\[\d+\])?)"), "utilizedTransportEquipments$1"),
        (ModelPath(@"consignmentItems\[(\d+)\]\.goodsDescription"), "consignmentItems[$1].descriptionOfGoods"),
        (ModelPath(@"consignmentItems\[(\d+)\]\.hsCode"), "consignmentItems[$1].HSCodes[0]"),
        // Quantities and weights are summed over a consignment item's cargo items; the package code is the first one's.
        (ModelPath(@"consignmentItems\[(\d+)\]\.quantity\.unit"), "consignmentItems[$1].cargoItems[0].outerPackaging.packageCode"),
        (ModelPath(@"consignmentItems\[(\d+)\]\.(?:quantity|grossWeight)(?:\..*)?"), "consignmentItems[$1].cargoItems"),
    ];

    private static readonly (Regex Model, string Dcsa)[] PartyFields =
    [
        (ModelPath(@"(documentParties\.[^.]+)\.name"), "$1.partyName"),
        (ModelPath(@"(documentParties\.[^.]+)\.lei"), "$1.identifyingCodes"),
        (ModelPath(@"(documentParties\.[^.]+)\.registrationId"), "$1.taxLegalReferences[0].value"),
        (ModelPath(@"(documentParties\.[^.]+)\.countryCode"), "$1.taxLegalReferences[0].countryCode"),
    ];

    /// <summary>
    /// The DCSA path of a <see cref="Documents.BillOfLading"/> field path; a path the importer reads under the same name is returned as is.
    /// </summary>
    /// <param name="billOfLadingPath">A violation's field, e.g. <c>containers[0].containerNumber</c>.</param>
    /// <returns>The DCSA path, e.g. <c>utilizedTransportEquipments[0].equipment.equipmentReference</c>.</returns>
    public static string Of(string billOfLadingPath)
    {
        ArgumentNullException.ThrowIfNull(billOfLadingPath);
        var path = Apply(Rules, billOfLadingPath);
        return Apply(PartyFields, path);
    }

    private static string Apply((Regex Model, string Dcsa)[] rules, string path)
    {
        foreach (var (model, dcsa) in rules)
        {
            if (model.IsMatch(path))
            {
                return model.Replace(path, dcsa);
            }
        }

        return path;
    }

    private static Regex ModelPath(string pattern) => new($"^{pattern}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
