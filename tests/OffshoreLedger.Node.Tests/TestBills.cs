namespace OffshoreLedger.Node.Tests;

/// <summary>
/// The copper-cathodes DCSA B/L with a fresh reference and a fresh voyage, so its B/L, container and lot keys are
/// new. Every test shares one chain per run, and the ledger rightly refuses the same containers twice.
/// </summary>
public static class TestBills
{
    public static string FreshCopperBill()
    {
        var unique = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        return File.ReadAllText("TestData/dcsa/ebl-3.0-copper-cathodes.json")
            .Replace("\"MAEU250123456\"", $"\"MAEU{unique}\"")
            .Replace("\"carrierExportVoyageNumber\": \"2103S\"", $"\"carrierExportVoyageNumber\": \"V{unique}\"");
    }
}
