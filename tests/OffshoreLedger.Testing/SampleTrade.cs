using OffshoreLedger.Client.Validation;

namespace OffshoreLedger.Testing;

/// <summary>
/// The sample trade of client-sdk/samples copied to a temp folder with fresh B/L, voyage, container and invoice
/// numbers and UETRs (valid check digits), because every test of a run shares one chain and keys are burned for good.
/// Disposing it deletes the folder.
/// </summary>
public sealed class SampleTrade : IDisposable
{
    private SampleTrade(string folder, IReadOnlyList<string> containers) => (Folder, Containers) = (folder, containers);

    public string Folder { get; }

    /// <summary>The fresh container numbers of the B/L.</summary>
    public IReadOnlyList<string> Containers { get; }
    public string BillOfLading => Path.Combine(Folder, "bill-of-lading.dcsa.json");
    public string Attestation => Path.Combine(Folder, "loading-attestation.json");
    public string PurchaseInvoice => Path.Combine(Folder, "purchase-invoice.json");
    public string SalesInvoice => Path.Combine(Folder, "sales-invoice.json");
    public string PurchaseSettlement => Path.Combine(Folder, "settlement-purchase.json");
    public string SaleSettlement => Path.Combine(Folder, "settlement-sale.json");

    public void Dispose() => TemporaryDirectory.Delete(Folder);

    public static string SamplesFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var samples = Path.Combine(dir.FullName, "client-sdk", "samples");
                if (Directory.Exists(samples)) return samples;
            }
            throw new DirectoryNotFoundException("client-sdk/samples not found above " + AppContext.BaseDirectory);
        }
    }

    public static SampleTrade Fresh()
    {
        var replacements = new Dictionary<string, string>
        {
            ["SELM26PKG04417"] = "SELM" + Digits(10),
            // The lot key is (vessel, voyage, port of loading, HS heading): the voyage is all that varies, so it draws from
            // 10^8 (4 digits gave two of a run's few dozen attested lots the same key often enough to fail a test).
            ["2644W"] = Digits(8) + "W",
            ["SSS-INV-2026-1187"] = "SSS-INV-" + Digits(8),
            ["LCC-INV-2026-0311"] = "LCC-INV-" + Digits(8),
            ["ad94f857-ec42-4d12-873b-6eac9cee7756"] = Guid.NewGuid().ToString(),
            ["58e9a575-a990-469a-b37c-598cce382498"] = Guid.NewGuid().ToString(),
            // Fresh amounts (by up to USD 19,999.99, invoices and settlements alike; the sale stays above the purchase), so the
            // invoice particulars keys (parties, amount, currency, date) are fresh too.
            ["96125000"] = (96_125_000 + Random.Shared.Next(1, 2_000_000)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["98740000"] = (98_740_000 + Random.Shared.Next(1, 2_000_000)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var container in new[] { "SMLU4026171", "SMLU4026886", "SMLU4170316", "SMLU4173296" })
        {
            replacements[container] = NewContainer();
        }

        var folder = Directory.CreateTempSubdirectory("offshore-cli-samples-").FullName;
        foreach (var file in Directory.GetFiles(SamplesFolder, "*.json"))
        {
            var text = replacements.Aggregate(File.ReadAllText(file), (t, r) => t.Replace(r.Key, r.Value, StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(folder, Path.GetFileName(file)), text);
        }
        return new SampleTrade(
            folder, [.. replacements.Where(r => r.Key.StartsWith("SMLU", StringComparison.Ordinal)).Select(r => r.Value)]);
    }

    private static string Digits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + Random.Shared.Next(10))));

    /// <summary>A new container number with a valid ISO 6346 check digit.</summary>
    public static string NewContainer()
    {
        var firstTen = "SMLU" + Digits(6);
        return firstTen + ContainerNumber.CheckDigit(firstTen);
    }
}
