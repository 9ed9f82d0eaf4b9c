namespace OffshoreLedger.Node.Tests.WebConsole;

/// <summary>
/// The README walkthrough up to step 5, run once through the CLI against four TLS nodes (as the devnet serves them) and
/// shared by the browser tests: the sample B/L issued by the carrier after the port's attestation and pledged to bank A, its documents
/// anchored with the proofs the trader hands over, and bank B's blocked attempt on the chain. Also an altered copy of the sales invoice and
/// the auditor's JSON report.
/// </summary>
public sealed class ConsoleStory : IAsyncDisposable
{
    private ConsoleStory(RunningNode trader, RunningNode port, RunningNode bankA, RunningNode bankB, SampleTrade trade, string home)
        => (Trader, Port, BankA, BankB, Trade, Home) = (trader, port, bankA, bankB, trade, home);

    public RunningNode Trader { get; }
    public RunningNode Port { get; }
    public RunningNode BankA { get; }
    public RunningNode BankB { get; }
    public SampleTrade Trade { get; }
    public string Home { get; }
    public string TitleId { get; private set; } = "";
    public string PledgeId { get; private set; } = "";
    public string SalesInvoiceProof => Path.Combine(Home, "sales-invoice.proof.json");
    public IReadOnlyList<string> Proofs { get; private set; } = [];

    /// <summary>The sales invoice with the buyer's name changed after it was anchored.</summary>
    public string TamperedSalesInvoice => Path.Combine(Home, "sales-invoice.altered.json");
    public string AuditReport => Path.Combine(Home, "audit-report.json");

    public static async Task<ConsoleStory> StartAsync(ConsortiumFixture fixture)
    {
        var home = Directory.CreateTempSubdirectory("offshore-console-story-").FullName;
        var story = new ConsoleStory(
            await RunningNode.StartAsync(fixture, "trader", tls: true), await RunningNode.StartAsync(fixture, "port", tls: true),
            await RunningNode.StartAsync(fixture, "bank A", tls: true), await RunningNode.StartAsync(fixture, "bank B", tls: true),
            SampleTrade.Fresh(), home);
        await story.PlayAsync(fixture);
        return story;
    }

    private async Task PlayAsync(ConsortiumFixture fixture)
    {
        var trader = CliParticipant.For(Trader, Home);
        var port = CliParticipant.For(Port, Home);
        var bankA = CliParticipant.For(BankA, Home);
        var bankB = CliParticipant.For(BankB, Home);

        // Issue 14: the port attests what it loaded, then the carrier bound to the B/L's carrier code issues its title to the trader.
        Ok(await port.RunAsync("port", "attest", "--file", Trade.Attestation));
        await using (var carrierNode = await RunningNode.StartAsync(fixture, "carrier", tls: true))
        {
            await carrierNode.SyncedToHeadAsync(fixture);
            var carrier = CliParticipant.For(carrierNode, Home);
            var issued = Ok(await carrier.RunAsync("carrier", "issue", "--bl", Trade.BillOfLading, "--holder", Trader.Address, "--json"));
            TitleId = issued.Json.GetProperty("titleId").GetUInt64().ToString();
        }
        await Trader.SyncedToHeadAsync(fixture);
        string[] documents = [Trade.BillOfLading, Trade.PurchaseInvoice, Trade.SalesInvoice, Trade.PurchaseSettlement,
            Trade.SaleSettlement];
        Ok(await trader.RunAsync(["trader", "anchor", .. documents, "--json"]));
        await Trader.SyncedToHeadAsync(fixture);
        var proofs = new List<string>();
        foreach (var document in documents)
        {
            var proof = Path.Combine(Home, Path.GetFileNameWithoutExtension(document) + ".proof.json");
            Ok(await trader.RunAsync("trader", "proof", "--file", document, "--out", proof));
            proofs.Add(proof);
        }
        Proofs = proofs;

        var consentA = Path.Combine(Home, "consent-bank-a.json");
        Ok(await trader.RunAsync(
            "trader", "consent", "--title", TitleId, "--file", Trade.SalesInvoice, "--bank", BankA.Address, "--days", "90", "--out",
            consentA));
        await BankA.SyncedToHeadAsync(fixture);
        var pledged = Ok(await bankA.RunAsync("bank", "pledge", "--consent", consentA, "--reference", "BKA-TF-2026-0311", "--json"));
        PledgeId = pledged.Json.GetProperty("pledgeId").GetUInt64().ToString();

        await Trader.SyncedToHeadAsync(fixture);
        var consentB = Path.Combine(Home, "consent-bank-b.json");
        Ok(await trader.RunAsync("trader", "consent", "--title", TitleId, "--bank", BankB.Address, "--days", "60", "--out", consentB));
        await BankB.SyncedToHeadAsync(fixture);
        var blocked = await bankB.RunAsync("bank", "pledge", "--consent", consentB, "--reference", "BKB-LC-7781");
        Assert.True(blocked.ExitCode == 3, blocked.ToString());
        await BankB.SyncedToHeadAsync(fixture);

        var invoice = File.ReadAllText(Trade.SalesInvoice);
        Assert.Contains("Rheinkupfer GmbH", invoice);
        File.WriteAllText(TamperedSalesInvoice, invoice.Replace("Rheinkupfer GmbH", "Rheinkupfer GmbH & Co. KG", StringComparison.Ordinal));

        var report = Ok(await bankB.RunAsync(
            "auditor", "replay", "--rpc", fixture.Chain.RpcUrl, "--contract", fixture.Consortium.ContractAddress,
            "--from", fixture.Consortium.DeploymentBlock.ToString(), "--json"));
        File.WriteAllText(AuditReport, report.Stdout);
    }

    private static CliResult Ok(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in new[] { Trader, Port, BankA, BankB })
        {
            await node.DisposeAsync();
            TemporaryDirectory.Delete(node.DataDirectory);
        }
        TemporaryDirectory.Delete(Home);
        Trade.Dispose();
    }
}
