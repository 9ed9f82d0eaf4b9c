using System.Text.Json;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Node.Tests;

/// <summary>The auditor's replay from the chain alone, through the CLI.</summary>
[Collection(NodeCollection.Name)]
public sealed class CliReplayTests(ConsortiumFixture fixture)
{
    [Fact]
    public async Task Replay_from_the_chain_alone_matches_the_contracts_counts_and_two_replays_agree_on_the_digest()
    {
        // Issue 14: the carrier's node issues the titles (to the trader), on lots the port attested.
        var trader = fixture.Consortium.Member("trader");
        var cli = CliParticipant.For(await TestIssuance.CarrierAsync(fixture), fixture.NewTemporaryDirectory("offshore-cli-"));
        using var sample = SampleTrade.Fresh();
        await TestIssuance.AttestLotOfAsync(fixture, File.ReadAllText(sample.BillOfLading));
        Assert.Equal(0, (await cli.RunAsync("carrier", "issue", "--bl", sample.BillOfLading, "--holder", trader.Address)).ExitCode);
        string[] replay = ["auditor", "replay", "--rpc", fixture.Chain.RpcUrl, "--contract", fixture.Consortium.ContractAddress, "--from",
            fixture.Consortium.DeploymentBlock.ToString(), "--json"];

        var first = await cli.RunAsync(replay);
        var second = await cli.RunAsync(replay);

        Assert.True(first.ExitCode == 0, first.ToString());
        var report = first.Json;
        Assert.True(report.GetProperty("stateCheck").GetProperty("passed").GetBoolean());
        var counts = await new LedgerContract(fixture.Chain.Web3For(0), fixture.Consortium.ContractAddress)
            .QueryAsync<CountsFunction, CountsOutput>(new());
        Assert.Equal(counts.Pledges, report.GetProperty("counts").GetProperty("pledgesGranted").GetUInt64());
        Assert.Equal(
            counts.Titles,
            report.GetProperty("counts").GetProperty("titlesLive").GetUInt64() + report.GetProperty("counts")
            .GetProperty("titlesSurrendered").GetUInt64());
        Assert.Matches("^0x[0-9a-f]{64}$", report.GetProperty("digest").GetString());
        // The consortium's bootstrap is governance too: its carrier and port code bindings, each by an executed proposal.
        var bindings = report.GetProperty("governance").GetProperty("codeBindings").EnumerateArray().ToList();
        foreach (var kind in new[] { "carrier", "port" })
        {
            Assert.Contains(
                bindings,
                b => b.GetProperty("kind").GetString() == kind && b.GetProperty("proposal").GetProperty("state").GetString() == "executed");
        }
        // Nothing was written between the two replays: same history, same digest. One more event changes it.
        Assert.Equal(report.GetProperty("toBlock").GetUInt64(), second.Json.GetProperty("toBlock").GetUInt64());
        Assert.Equal(report.GetProperty("digest").GetString(), second.Json.GetProperty("digest").GetString());
        using var another = SampleTrade.Fresh();
        await TestIssuance.AttestLotOfAsync(fixture, File.ReadAllText(another.BillOfLading));
        Assert.Equal(0, (await cli.RunAsync("carrier", "issue", "--bl", another.BillOfLading, "--holder", trader.Address)).ExitCode);
        var third = await cli.RunAsync(replay);
        Assert.NotEqual(report.GetProperty("digest").GetString(), third.Json.GetProperty("digest").GetString());
        // Pinned to the first replay's last block, the longer chain gives the first digest: how two auditors compare.
        var pinned = await cli.RunAsync([.. replay, "--to", report.GetProperty("toBlock").GetUInt64().ToString()]);
        Assert.True(pinned.ExitCode == 0, pinned.ToString());
        Assert.Equal(report.GetProperty("digest").GetString(), pinned.Json.GetProperty("digest").GetString());
        // The test chain prunes history, so it cannot answer view calls at the earlier block: said, not failed.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pinned.Json.GetProperty("stateCheck").ValueKind);
        Assert.Contains($"block {report.GetProperty("toBlock").GetUInt64()}", pinned.Json.GetProperty("stateCheckNotRun").GetString());
        var beyond = await cli.RunAsync([.. replay, "--to", (third.Json.GetProperty("toBlock").GetUInt64() + 1_000).ToString()]);
        Assert.Equal(2, beyond.ExitCode);
        // For people: a progress bar on stderr, the report as tables on stdout.
        var human = await cli.RunAsync(replay[..^1]);
        Assert.Equal(0, human.ExitCode);
        Assert.Contains($"Digest {third.Json.GetProperty("digest").GetString()}", human.Stdout);
        Assert.Contains("titlesLive", human.Stdout);
        Assert.Contains("Governance:", human.Stdout);
    }

    [Fact]
    public async Task Replay_with_the_auditees_documents_writes_a_Markdown_report_naming_the_settlement_that_does_not_pay_its_invoice()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        var home = fixture.NewTemporaryDirectory("offshore-cli-");
        using var trade = SampleTrade.Fresh();
        await TestIssuance.AttestLotOfAsync(fixture, File.ReadAllText(trade.BillOfLading));
        var registered = await CliParticipant.For(await TestIssuance.CarrierAsync(fixture), home)
            .RunAsync("carrier", "issue", "--bl", trade.BillOfLading, "--holder", trader.Address, "--json");
        Assert.True(registered.ExitCode == 0, registered.ToString());
        var titleId = registered.Json.GetProperty("titleId").GetUInt64();
        await trader.SyncedToHeadAsync(fixture);
        var consentFile = Path.Combine(home, "consent.json");
        var consented = await CliParticipant.For(trader, home).RunAsync(
            "trader", "consent", "--title", titleId.ToString(), "--file", trade.SalesInvoice, "--bank", bankA.Address, "--days", "90",
            "--out", consentFile);
        Assert.True(consented.ExitCode == 0, consented.ToString());
        await bankA.SyncedToHeadAsync(fixture);
        var pledged = await CliParticipant.For(bankA, home).RunAsync("bank", "pledge", "--consent", consentFile, "--reference", "BKA-TF-1");
        Assert.True(pledged.ExitCode == 0, pledged.ToString());
        // The buyer paid short: the sale's settlement no longer matches the sales invoice.
        var settlement = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(trade.SaleSettlement))!;
        settlement["amountMinor"] = settlement["amountMinor"]!.GetValue<long>() - 740_000;
        File.WriteAllText(trade.SaleSettlement, settlement.ToJsonString());
        var shortPaid = JsonDocument.Parse(File.ReadAllText(trade.SaleSettlement)).RootElement.GetProperty("uetr").GetString();
        var paidInFull = JsonDocument.Parse(File.ReadAllText(trade.PurchaseSettlement)).RootElement.GetProperty("uetr").GetString();
        var secretFile = Path.Combine(home, "consortium-secret");
        File.WriteAllText(secretFile, fixture.ConsortiumSecret);
        var markdown = Path.Combine(home, "audit.md");

        var audit = await CliParticipant.For(trader, home).RunAsync(
            "auditor", "replay", "--rpc", fixture.Chain.RpcUrl, "--contract", fixture.Consortium.ContractAddress, "--from",
            fixture.Consortium.DeploymentBlock.ToString(),
            "--documents", trade.Folder, "--secret", secretFile, "--report", markdown, "--json");

        Assert.True(audit.ExitCode == 0, audit.ToString());
        var json = audit.Json;
        var settlements = json.GetProperty("settlements");
        Assert.Equal(
            (2, 2, true),
            (settlements.GetProperty("invoices").GetInt32(), settlements.GetProperty("settlementRecords").GetInt32(),
            settlements.GetProperty("keysChecked").GetBoolean()));
        var mismatch = Assert.Single(json.GetProperty("anomalies").GetProperty("settlementMismatches").EnumerateArray());
        Assert.Equal(shortPaid, mismatch.GetProperty("uetr").GetString());
        Assert.Equal("amountMinor", Assert.Single(mismatch.GetProperty("mismatches").EnumerateArray()).GetProperty("field").GetString());
        // The sales invoice's keys are on chain, financed with the title; the settlement's key is not.
        var keys = mismatch.GetProperty("keys").EnumerateArray().ToList();
        Assert.False(keys.Single(k => k.GetProperty("kind").GetString() == "settlement").GetProperty("onChain").GetBoolean());
        var invoiceKeys = keys.Where(k => k.GetProperty("kind").GetString()!.StartsWith("invoice", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, invoiceKeys.Count);
        Assert.All(
            invoiceKeys, k => Assert.Equal([titleId], k.GetProperty("pledgedWithTitles").EnumerateArray().Select(t => t.GetUInt64())));
        var purchase = settlements.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("uetr").GetString() == paidInFull);
        Assert.Equal(0, purchase.GetProperty("mismatches").GetArrayLength());

        var report = File.ReadAllText(markdown);
        Assert.StartsWith("# Ledger audit", report);
        Assert.Contains($"**Digest** `{json.GetProperty("digest").GetString()}`", report);
        Assert.Contains("| State rebuilt from logs = contract's view functions | passed:", report);
        Assert.Contains("| Settlement mismatches | 1 of 2 settlements |", report);
        Assert.Contains($"| {shortPaid} | settlement-sale.json | amountMinor |", report);
        Assert.Contains("- **Rapid pledge cycles**:", report);
        // Members are named from the chain alone: the directory in JSON, and each member address in the Markdown.
        var bankAMember = fixture.Consortium.Member("bank A");
        var listed = json.GetProperty("members").EnumerateArray()
            .Single(m => m.GetProperty("address").GetString() == bankAMember.Address.ToLowerInvariant());
        Assert.Equal(
            (bankAMember.OrganisationName, bankAMember.Lei),
            (listed.GetProperty("name").GetString(), listed.GetProperty("lei").GetString()));
        Assert.Contains(
            $"| {bankAMember.OrganisationName} | {bankAMember.Lei} | Bank | {bankAMember.Address.ToLowerInvariant()} | active |", report);
        var carrierMember = fixture.Consortium.Member("carrier");
        Assert.Contains($"{carrierMember.OrganisationName} (`{carrierMember.Address.ToLowerInvariant()}`)", report);
    }

    [Fact]
    public async Task Replay_checks_a_seeded_sample_when_asked_and_refuses_unknown_thresholds_and_missing_folders()
    {
        var cli = new CliParticipant("http://127.0.0.1:1", "unused", fixture.NewTemporaryDirectory("offshore-cli-"));
        string[] replay = ["auditor", "replay", "--rpc", fixture.Chain.RpcUrl, "--contract", fixture.Consortium.ContractAddress, "--from",
            fixture.Consortium.DeploymentBlock.ToString(), "--json"];

        var sampled = await cli.RunAsync([.. replay, "--sample", "3", "--seed", "5"]);
        var badThreshold = await cli.RunAsync([.. replay, "--threshold", "manyBanks=2"]);
        var noFolder = await cli.RunAsync([.. replay, "--documents", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString())]);

        Assert.True(sampled.ExitCode == 0, sampled.ToString());
        var check = sampled.Json.GetProperty("stateCheck");
        Assert.Equal((3, 5), (check.GetProperty("sampleSize").GetInt32(), check.GetProperty("seed").GetInt32()));
        var titles = check.GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "title");
        Assert.Equal(Math.Min(3, titles.GetProperty("population").GetInt64()), titles.GetProperty("checked").GetInt64());
        Assert.True(check.GetProperty("passed").GetBoolean());
        Assert.Equal(2, badThreshold.ExitCode);
        Assert.Contains("manyBanksMinimum", badThreshold.Stdout);
        Assert.Equal(2, noFolder.ExitCode);
    }

    [Fact]
    public async Task Replay_of_an_unreachable_chain_exits_4_and_a_bad_address_exits_2()
    {
        var cli = new CliParticipant("http://127.0.0.1:1", "unused", fixture.NewTemporaryDirectory("offshore-cli-"));

        var unreachable = await cli.RunAsync(
            "auditor", "replay", "--rpc", "http://127.0.0.1:1", "--contract", fixture.Consortium.ContractAddress, "--json");
        var badAddress = await cli.RunAsync("auditor", "replay", "--rpc", fixture.Chain.RpcUrl, "--contract", "0x1234", "--json");

        Assert.Equal(4, unreachable.ExitCode);
        Assert.Equal(2, badAddress.ExitCode);
    }
}
