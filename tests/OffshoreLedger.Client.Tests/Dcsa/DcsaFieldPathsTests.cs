using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OffshoreLedger.Client.Dcsa;
using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Client.Tests.Dcsa;

public partial class DcsaFieldPathsTests
{
    private static readonly DocumentValidator Validator = new(new FixedClock());

    [Fact]
    public void Every_violation_of_a_broken_DCSA_bill_maps_to_the_value_the_sender_broke()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine("TestData", "dcsa", "ebl-3.0-copper-cathodes.json")))!;
        // Each value the importer reads, broken where the sender would have it: the mapped path must lead back to it.
        Dictionary<string, JsonNode?> broken = new()
        {
            ["transportDocumentReference"] = "",
            ["carrierCode"] = "M!",
            ["documentParties.shipper.partyName"] = "",
            ["documentParties.notifyParties[0].partyName"] = "",
            ["transports.vesselVoyages[0].vesselIMONumber"] = "9321484",
            ["transports.vesselVoyages[0].vesselName"] = "",
            ["transports.vesselVoyages[0].carrierExportVoyageNumber"] = "--",
            ["transports.portOfLoading.UNLocationCode"] = "ZZ!!!",
            ["utilizedTransportEquipments[0].equipment.equipmentReference"] = "MSKU1234566",
            ["utilizedTransportEquipments[1].seals[1].number"] = "--",
            ["consignmentItems[0].HSCodes[0]"] = "99",
            ["consignmentItems[0].descriptionOfGoods"] = new JsonArray(),
        };
        foreach (var (path, value) in broken) Set(json, path, value);

        var violations = Validator.Validate(DcsaTransportDocumentImporter.Import(json.ToJsonString())).Violations;
        var mapped = violations.Select(v => DcsaFieldPaths.Of(v.Field)).ToHashSet();

        Assert.Equal(broken.Keys.Order(), mapped.Order());
    }

    [Theory]
    [InlineData("containers", "utilizedTransportEquipments")]
    [InlineData("containers[3]", "utilizedTransportEquipments[3]")]
    [InlineData("consignee.lei", "documentParties.consignee.identifyingCodes")]
    [InlineData("shipper.registrationId", "documentParties.shipper.taxLegalReferences[0].value")]
    [InlineData("consignmentItems[1].quantity.unit", "consignmentItems[1].cargoItems[0].outerPackaging.packageCode")]
    [InlineData("consignmentItems[1].grossWeight.value", "consignmentItems[1].cargoItems")]
    [InlineData("shippedOnBoardDate", "shippedOnBoardDate")]
    public void Model_paths_map_to_DCSA_paths(string model, string dcsa) => Assert.Equal(dcsa, DcsaFieldPaths.Of(model));

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var steps = Step().Matches(path)
            .Select(m => m.Groups["name"].Success
            ? (object)m.Groups["name"].Value : int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        var node = root;
        foreach (var step in steps[..^1]) node = step is string name ? node[name]! : node[(int)step]!;
        if (steps[^1] is string last) node[last] = value;
        else node[(int)steps[^1]] = value;
    }

    [GeneratedRegex(@"(?<name>[A-Za-z]+)|\[(?<index>\d+)\]")]
    private static partial Regex Step();

    /// <summary>Shortly after the sample B/L was shipped (2026-03-01), so its dates are plausible.</summary>
    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
    }
}
