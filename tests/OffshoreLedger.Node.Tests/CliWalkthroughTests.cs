using System.Text.Json;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// The README walkthrough, run in-process through <c>CliApp.RunAsync</c>
/// against real nodes: a trader, a port and two banks on one chain.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class CliWalkthroughTests(ConsortiumFixture fixture) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("offshore-cli-home-").FullName;

    public void Dispose() => TemporaryDirectory.Delete(_home);

    [Fact]
    public async Task Offshore_resale_walkthrough_one_title_one_financing_at_a_time()
    {
        // Over TLS, as the devnet serves it: the CLI trusts the nodes' CA (OFFSHORE_CA_FILE).
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader", tls: true);
        await using var portNode = await RunningNode.StartAsync(fixture, "port", tls: true);
        await using var bankANode = await RunningNode.StartAsync(fixture, "bank A", tls: true);
        await using var bankBNode = await RunningNode.StartAsync(fixture, "bank B", tls: true);
        await using var carrierNode = await RunningNode.StartAsync(fixture, "carrier", tls: true);
        var carrier = CliParticipant.For(carrierNode, _home);
        var trader = CliParticipant.For(traderNode, _home);
        var port = CliParticipant.For(portNode, _home);
        var bankA = CliParticipant.For(bankANode, _home);
        var bankB = CliParticipant.For(bankBNode, _home);
        using var trade = SampleTrade.Fresh();
        var secretFile = Path.Combine(_home, "consortium-secret");
        File.WriteAllText(secretFile, fixture.ConsortiumSecret);

        // The port attests what it loaded; the carrier issues the B/L's title to the trader (issue 14: only the carrier
        // bound to the B/L's carrier code issues), and the trader anchors both invoices.
        var attested = await port.RunAsync("port", "attest", "--file", trade.Attestation);
        Assert.True(attested.ExitCode == 0, attested.ToString());
        await carrierNode.SyncedToHeadAsync(fixture);
        var registered = await carrier.RunAsync("carrier", "issue", "--bl", trade.BillOfLading, "--holder", traderNode.Address, "--json");
        await traderNode.SyncedToHeadAsync(fixture);
        Assert.True(registered.ExitCode == 0, registered.ToString());
        var titleId = registered.Json.GetProperty("titleId").GetUInt64().ToString();
        Assert.Equal(traderNode.Address, registered.Json.GetProperty("holder").GetString(), ignoreCase: true);
        Assert.Equal(5, registered.Json.GetProperty("keys").GetArrayLength()); // the B/L and its four containers
        string[] documents = [trade.BillOfLading, trade.PurchaseInvoice, trade.SalesInvoice, trade.PurchaseSettlement,
            trade.SaleSettlement];
        var anchored = await trader.RunAsync(["trader", "anchor", .. documents, "--json"]);
        Assert.True(anchored.ExitCode == 0, anchored.ToString());
        Assert.Equal(5, anchored.Json.GetProperty("documents").GetArrayLength());
        var salesInvoiceHash = anchored.Json.GetProperty("documents")[2].GetProperty("hash").GetString()!;
        await traderNode.SyncedToHeadAsync(fixture);
        var proofs = new List<string>();
        foreach (var document in documents)
        {
            var proofFile = Path.Combine(_home, Path.GetFileNameWithoutExtension(document) + ".proof.json");
            var written = await trader.RunAsync("trader", "proof", "--file", document, "--out", proofFile, "--json");
            Assert.True(written.ExitCode == 0, written.ToString());
            proofs.Add(proofFile);
        }
        var salesInvoiceProof = proofs[2];
        Assert.Equal(
            salesInvoiceHash, JsonDocument.Parse(File.ReadAllText(salesInvoiceProof)).RootElement.GetProperty("documentHash").GetString());

        // Bank A verifies the trade's three flows with the proofs the trader handed over: PASS.
        await bankANode.SyncedToHeadAsync(fixture);
        var verdict = await bankA.RunAsync([
            "bank", "verify-trade", "--purchase-invoice", trade.PurchaseInvoice, "--sales-invoice", trade.SalesInvoice, "--bl",
            trade.BillOfLading,
            "--settlement", trade.PurchaseSettlement, trade.SaleSettlement, "--proof-file", .. proofs]);
        Assert.True(verdict.ExitCode == 0, verdict.ToString());
        Assert.StartsWith("PASS", verdict.Stdout);

        // Bank A checks the title and the sales invoice (keys derived locally, the invoice never leaves the bank): clear.
        var clear = await bankA.RunAsync(
            "bank", "check", "--title", titleId, "--file", trade.SalesInvoice, "--local", "--secret-file", secretFile);
        Assert.True(clear.ExitCode == 0, clear.ToString());
        Assert.StartsWith("CLEAR", clear.Stdout);

        // The trader consents to bank A financing the title and the sales invoice; bank A pledges with that consent.
        await traderNode.SyncedToHeadAsync(fixture);
        var consentA = Path.Combine(_home, "consent-bank-a.json");
        var consented = await trader.RunAsync(
            "trader", "consent", "--title", titleId, "--file", trade.SalesInvoice, "--bank", bankANode.Address, "--days", "90", "--out",
            consentA, "--json");
        Assert.True(consented.ExitCode == 0, consented.ToString());
        Assert.Equal(traderNode.Address, consented.Json.GetProperty("borrower").GetString(), ignoreCase: true);
        Assert.NotEqual(0, consented.Json.GetProperty("keys").GetArrayLength()); // the sales invoice's keys
        var pledged = await bankA.RunAsync("bank", "pledge", "--consent", consentA, "--reference", "BKA-TF-2026-0311", "--json");
        Assert.True(pledged.ExitCode == 0, pledged.ToString());
        var pledgeId = pledged.Json.GetProperty("pledgeId").GetUInt64().ToString();
        Assert.Equal(traderNode.Address, pledged.Json.GetProperty("borrower").GetString(), ignoreCase: true);

        // Bank B verifies the invoice it is offered with the proof the trader handed over and sees the title pledged, and by
        // whom. Without the trader's consent its pledge is refused before anything goes on chain.
        await bankBNode.SyncedToHeadAsync(fixture);
        var verified = await bankB.RunAsync("auditor", "verify", "--file", trade.SalesInvoice, "--proof-file", salesInvoiceProof, "--json");
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.True(verified.Json.GetProperty("anchored").GetBoolean(), verified.ToString());
        Assert.Equal(traderNode.Address, verified.Json.GetProperty("submitter").GetString(), ignoreCase: true);
        var taken = await bankB.RunAsync("bank", "check", "--title", titleId);
        Assert.True(taken.ExitCode == 0, taken.ToString());
        Assert.StartsWith("NOT CLEAR", taken.Stdout);
        // Named as governance recorded bank A at enrolment, with enough of its address to tell it apart.
        var bankALabel = $"{fixture.Consortium.Member("bank A").OrganisationName} ({bankANode.Address[..6]}…{bankANode.Address[^4..]})";
        Assert.Contains(bankALabel, taken.Stdout, StringComparison.OrdinalIgnoreCase);
        var withoutConsent = await bankB.RunAsync(
            "bank", "pledge", "--title", titleId, "--reference", "BKB-LC-7781", "--days", "60", "--json");
        Assert.True(withoutConsent.ExitCode == 3, withoutConsent.ToString());
        Assert.Equal(
            OffshoreLedger.Api.V1.ErrorReasons.Name(OffshoreLedger.Api.V1.ErrorReason.ConsentRequired),
            withoutConsent.Json.GetProperty("error").GetProperty("reason").GetString());

        // The double financing: the trader also consents to bank B. The contract blocks bank B's pledge and records the
        // attempt, naming bank A's pledge.
        var consentB = Path.Combine(_home, "consent-bank-b.json");
        var alsoConsented = await trader.RunAsync(
            "trader", "consent", "--title", titleId, "--bank", bankBNode.Address, "--days", "60", "--out", consentB);
        Assert.True(alsoConsented.ExitCode == 0, alsoConsented.ToString());
        var refused = await bankB.RunAsync("bank", "pledge", "--consent", consentB, "--reference", "BKB-LC-7781");
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains(bankALabel, refused.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"pledge {pledgeId}", refused.Stderr);

        // Bank A releases title and invoice; with a fresh consent (the blocked attempt used the last one up) bank B finances.
        var released = await bankA.RunAsync("bank", "release", "--pledge", pledgeId, "--title", titleId, "--file", trade.SalesInvoice);
        Assert.True(released.ExitCode == 0, released.ToString());
        await bankBNode.SyncedToHeadAsync(fixture);
        await traderNode.SyncedToHeadAsync(fixture);
        var reused = await bankB.RunAsync("bank", "pledge", "--consent", consentB, "--reference", "BKB-LC-7781", "--json");
        Assert.True(reused.ExitCode == 3, reused.ToString());
        Assert.Equal(
            OffshoreLedger.Api.V1.ErrorReasons.Name(OffshoreLedger.Api.V1.ErrorReason.ConsentUsed),
            reused.Json.GetProperty("error").GetProperty("reason").GetString());
        var freshB = Path.Combine(_home, "consent-bank-b-2.json");
        var fresh = await trader.RunAsync(
            "trader", "consent", "--title", titleId, "--file", trade.SalesInvoice, "--bank", bankBNode.Address, "--days", "60", "--out",
            freshB);
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        var second = await bankB.RunAsync("bank", "pledge", "--consent", freshB, "--reference", "BKB-LC-7781");
        Assert.True(second.ExitCode == 0, second.ToString());

        // The history tells it all, blocked attempts included.
        await bankBNode.SyncedToHeadAsync(fixture);
        var history = await bankB.RunAsync("bank", "history", "--title", titleId, "--json");
        Assert.True(history.ExitCode == 0, history.ToString());
        var kinds = history.Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray();
        Assert.Equal(new[] { "registered", "pledged", "pledgeBlocked", "released", "pledged" }, kinds);
        var readable = await bankB.RunAsync("bank", "history", "--title", titleId);
        Assert.Contains(bankALabel, readable.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(
            $"{fixture.Consortium.Member("bank B").OrganisationName} ({bankBNode.Address[..6]}…", readable.Stdout,
            StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Node_info_json_parses_and_names_the_member()
    {
        await using var bankNode = await RunningNode.StartAsync(fixture, "bank A");
        await bankNode.SyncedToHeadAsync(fixture);

        var info = await CliParticipant.For(bankNode, _home, bankNode.ReadKey).RunAsync("node", "info", "--json");
        var health = await CliParticipant.For(bankNode, _home, apiKey: "").RunAsync("node", "health", "--json");

        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Equal(bankNode.Address, info.Json.GetProperty("address").GetString(), ignoreCase: true);
        Assert.Contains("bank", info.Json.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(info.Json.GetProperty("activeMember").GetBoolean());
        var member = fixture.Consortium.Member("bank A");
        Assert.Equal(
            (member.OrganisationName, member.Lei),
            (info.Json.GetProperty("organisationName").GetString(), info.Json.GetProperty("lei").GetString()));
        Assert.True(OffshoreLedger.Contracts.Bindings.LegalEntityIdentifier.IsValid(member.Lei));
        var directory = await CliParticipant.For(bankNode, _home, bankNode.ReadKey).RunAsync("node", "members", "--json");
        Assert.True(directory.ExitCode == 0, directory.ToString());
        var named = directory.Json.GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("address").GetString()!, m => m.GetProperty("name").GetString());
        Assert.All(fixture.Consortium.Members, m => Assert.Equal(m.OrganisationName, named[Eip55.Of(m.Address)]));
        Assert.True(health.ExitCode == 0, health.ToString());
        Assert.True(health.Json.GetProperty("serving").GetBoolean());
    }

    [Fact]
    public async Task An_invalid_document_file_exits_2_naming_the_field()
    {
        using var trade = SampleTrade.Fresh();
        var bad = Path.Combine(trade.Folder, "bad-bl.json");
        var json = File.ReadAllText(trade.BillOfLading);
        var container = JsonDocument.Parse(json).RootElement.GetProperty("utilizedTransportEquipments")[0].GetProperty("equipment")
            .GetProperty("equipmentReference").GetString()!;
        var wrongDigit = container[..10] + (char)('0' + ((container[10] - '0' + 1) % 10));
        File.WriteAllText(bad, json.Replace(container, wrongDigit, StringComparison.Ordinal));
        using var closed = new ClosedPort();
        var nobody = new CliParticipant(closed.Url, "any-key", _home);

        var result = await nobody.RunAsync("carrier", "issue", "--bl", bad, "--holder", "0x0000000000000000000000000000000000000001");
        var asJson = await nobody.RunAsync(
            "--json", "carrier", "issue", "--bl", bad, "--holder", "0x0000000000000000000000000000000000000001");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("containers[0].containerNumber", result.Stderr);
        Assert.Contains("check digit", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr); // no stack trace
        Assert.Equal(2, asJson.ExitCode);
        Assert.Equal(
            "containers[0].containerNumber",
            asJson.Json.GetProperty("error").GetProperty("violations")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_request_the_node_rejects_exits_2_printing_each_field_violation()
    {
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader");

        var result = await CliParticipant.For(traderNode, _home).RunAsync("trader", "transfer", "--title", "1", "--to", "not-an-address");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("new_holder", result.Stderr);
    }

    [Fact]
    public async Task A_wrong_api_key_exits_5()
    {
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader");

        var wrong = await CliParticipant.For(traderNode, _home, apiKey: "not-the-key").RunAsync("node", "info");
        var readOnly = await CliParticipant.For(traderNode, _home, traderNode.ReadKey).RunAsync("trader", "surrender", "--title", "1");

        Assert.True(wrong.ExitCode == 5, wrong.ToString());
        Assert.Contains("not authorised", wrong.Stderr);
        Assert.True(readOnly.ExitCode == 5, readOnly.ToString());
    }

    [Fact]
    public async Task An_unreachable_node_exits_4()
    {
        using var closed = new ClosedPort();
        var nobody = new CliParticipant(closed.Url, "any-key", _home);

        var result = await nobody.RunAsync("node", "info");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("node unreachable", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public async Task Connection_settings_take_flag_over_environment_over_config_file()
    {
        await using var bankNode = await RunningNode.StartAsync(fixture, "bank A");
        using var closed = new ClosedPort();
        var unreachable = closed.Url;
        var config = Path.Combine(_home, ".config", "offshore-ledger", "cli.json");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, JsonSerializer.Serialize(new { node = bankNode.Url, apiKey = bankNode.ReadKey }));

        var fromFile = await RunWithEnvironmentAsync(new() { ["HOME"] = _home }, "node", "info");
        var environmentWins = await RunWithEnvironmentAsync(new() { ["HOME"] = _home, ["OFFSHORE_NODE"] = unreachable }, "node", "info");
        var flagWins = await RunWithEnvironmentAsync(
            new() { ["HOME"] = _home, ["OFFSHORE_NODE"] = unreachable }, "node", "info", "--node", bankNode.Url);

        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.True(environmentWins.ExitCode == 4, environmentWins.ToString());
        Assert.True(flagWins.ExitCode == 0, flagWins.ToString());
    }

    [Fact]
    public async Task Help_documents_the_exit_codes_and_bad_arguments_exit_2()
    {
        var help = await RunWithEnvironmentAsync(new() { ["HOME"] = _home }, "--help");
        var missing = await RunWithEnvironmentAsync(new() { ["HOME"] = _home }, "bank", "pledge", "--consent", "consent.json");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Exit codes", help.Stdout);
        Assert.Contains("4  node unreachable", help.Stdout);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("--reference", missing.Stderr);
    }

    private static async Task<CliResult> RunWithEnvironmentAsync(Dictionary<string, string?> environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await OffshoreLedger.Cli.CliApp.RunAsync(args, stdout, stderr, environment);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }
}
