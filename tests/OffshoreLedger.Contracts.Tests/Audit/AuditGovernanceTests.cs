using System.Text.Json.Nodes;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Audit;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Contracts.Tests.Audit;

/// <summary>
/// Issue 14, point 3: every governed correction, key rotation, re-enrolment and code binding in the auditor's report,
/// rebuilt from the chain's logs alone — and a correction admins proposed but never executed is never shown as applied.
/// Asserted on the report's JSON (the format auditors keep) and its Markdown.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed class AuditGovernanceTests(ChainFixture fixture)
{
    [Fact]
    public async Task Executed_corrections_are_listed_with_who_proposed_and_approved_them_and_what_they_changed()
    {
        var c = await fixture.FreshConsortiumAsync();
        var now = await c.ChainTimeAsync();
        var (admin1, admin2) = (Lower(c.Admin1), Lower(c.Admin2));

        // The port attested 2,000 t; 1,200 t of titles were issued on it. The investigation finds 1,000 t were loaded.
        await TestConsortium.AttestAsync(c.Port, "lot-1", 2000, now - 3600);
        await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 600, "bl-1");
        var squatted = await TestConsortium.RegisterAsync(c.Carrier, c.Trader2, "lot-1", 600, "bl-genuine");
        var corrected = await c.CorrectAsync(
            new ProposeAttestationCorrectionFunction { LotKey = TestConsortium.Lot("lot-1"), Quantity = 1000 });
        // The second title squatted the genuine B/L's keys: voided, then the over-issue mark cleared (600 t ≤ 1,000 t).
        var voided = await c.CorrectAsync(new ProposeTitleVoidFunction { TitleId = squatted });
        var cleared = await c.CorrectAsync(new ProposeOverIssueClearanceFunction { LotKey = TestConsortium.Lot("lot-1") });
        // Its keys are free again for the genuine issuer.
        var genuine = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 400, "bl-genuine");

        var (json, markdown) = await AuditAsync(c);

        var applied = Array(json["governance"]?["corrections"]);
        Assert.Equal(3, applied.Count);
        var (correction, voiding, clearance) = (applied[0], applied[1], applied[2]);
        var lot = Hex.Of(TestConsortium.Lot("lot-1"));

        Assert.Equal("CorrectAttestation", Text(correction, "kind"));
        Assert.Equal(lot, Text(correction, "lotKey"));
        Assert.Equal((2000UL, 1000UL), (Number(correction, "oldQuantity"), Number(correction, "newQuantity")));
        Assert.Equal("VoidTitle", Text(voiding, "kind"));
        Assert.Equal(squatted, Number(voiding, "titleId"));
        // The keys the void freed for the genuine issuer, as the squatted title registered them.
        Assert.Equal([Hex.Of(TestConsortium.Key("bl-genuine"))], Array(voiding["titleKeys"]).Select(k => k.GetValue<string>()));
        Assert.Null(correction["titleKeys"]);
        Assert.Equal("ClearOverIssue", Text(clearance, "kind"));
        Assert.Equal(lot, Text(clearance, "lotKey"));
        Assert.Equal((1000UL, 600UL), (Number(clearance, "attestedQuantity"), Number(clearance, "liveQuantity")));
        foreach (var (entry, receipt) in new[] { (correction, corrected), (voiding, voided), (clearance, cleared) })
        {
            var proposal = entry["proposal"]!;
            Assert.Equal("executed", Text(proposal, "state"));
            Assert.Equal(admin1, Text(proposal, "proposer"));
            Assert.Equal([admin1, admin2], Array(proposal["approvers"]).Select(a => a.GetValue<string>()));
            Assert.Equal(receipt.TransactionHash, Text(proposal["executed"]!, "transaction"));
            Assert.Equal((ulong)receipt.BlockNumber.Value, Number(proposal["executed"]!, "block"));
            // Queued when the second admin approved; executed no earlier than 48 hours after.
            var queued = DateTimeOffset.Parse(Text(proposal["queued"]!, "time"), System.Globalization.CultureInfo.InvariantCulture);
            var executed = DateTimeOffset.Parse(Text(proposal["executed"]!, "time"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(executed - queued >= TimeSpan.FromHours(48), $"queued {queued}, executed {executed}");
        }
        Assert.Empty(Array(json["governance"]?["correctionsNotApplied"]));

        // Each correction in the Markdown report, with its proposal and transaction.
        Assert.Contains("## Governance", markdown);
        foreach (var entry in applied)
        {
            Assert.Contains($"| {Number(entry["proposal"]!, "proposalId")} |", markdown);
        }
        Assert.Contains(Text(correction["proposal"]!["executed"]!, "transaction")[..10], markdown);
        Assert.NotEqual(squatted, genuine);
    }

    [Fact]
    public async Task A_correction_withdrawn_expired_or_queued_but_never_executed_is_listed_as_not_applied_never_as_applied()
    {
        var c = await fixture.FreshConsortiumAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 2000, await c.ChainTimeAsync() - 3600);
        var title = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 600, "bl-1");

        // Two admins queue a void, then one withdraws its approval: unqueued, and left to expire.
        var withdrawn = TestConsortium.ProposalIdOf(await c.Admin1.Ledger.SendAsync(new ProposeTitleVoidFunction { TitleId = title }));
        await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = withdrawn });
        await c.Admin2.Ledger.SendAsync(new WithdrawApprovalFunction { ProposalId = withdrawn });
        // One admin alone proposes to cut the attestation; no one joins it before its deadline.
        var expired = TestConsortium.ProposalIdOf(
            await c.Admin1.Ledger.SendAsync(
                new ProposeAttestationCorrectionFunction { LotKey = TestConsortium.Lot("lot-1"), Quantity = 1 }));
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromDays(15));
        // Two colluding admins queue a void; its delay passes, but no one executes it.
        var queued = TestConsortium.ProposalIdOf(await c.Admin1.Ledger.SendAsync(new ProposeTitleVoidFunction { TitleId = title }));
        await c.Admin3.Ledger.SendAsync(new ApproveFunction { ProposalId = queued });
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(49));
        Assert.Equal((byte)TitleStatus.Live, (await c.TitleAsync(title)).Status);

        var (json, markdown) = await AuditAsync(c);

        Assert.Empty(Array(json["governance"]?["corrections"]));
        var pending = Array(json["governance"]?["correctionsNotApplied"]).ToDictionary(p => Number(p["proposal"]!, "proposalId"));
        Assert.Equal([withdrawn, expired, queued], pending.Keys);
        Assert.Equal("expired", Text(pending[withdrawn]["proposal"]!, "state"));
        Assert.Equal("expired", Text(pending[expired]["proposal"]!, "state"));
        Assert.Equal("queued", Text(pending[queued]["proposal"]!, "state"));
        Assert.Equal(1UL, Number(pending[expired], "newQuantity"));
        Assert.Equal(title, Number(pending[queued], "titleId"));
        Assert.Equal([Hex.Of(TestConsortium.Key("bl-1"))], Array(pending[queued]["titleKeys"]).Select(k => k.GetValue<string>()));
        Assert.All(pending.Values, p => Assert.Null(p["proposal"]!["executed"]));
        // The withdrawal is on record: who approved, and who took it back.
        var trail = Array(pending[withdrawn]["proposal"]!["approvals"]);
        Assert.Equal(
            [(Lower(c.Admin1), true), (Lower(c.Admin2), true), (Lower(c.Admin2), false)],
            trail.Select(a => (Text(a, "admin"), a["approved"]!.GetValue<bool>())));
        Assert.Equal([Lower(c.Admin1)], Array(pending[withdrawn]["proposal"]!["approvers"]).Select(a => a.GetValue<string>()));
        Assert.Equal(
            [Lower(c.Admin1), Lower(c.Admin3)], Array(pending[queued]["proposal"]!["approvers"]).Select(a => a.GetValue<string>()));
        Assert.NotNull(pending[queued]["proposal"]!["queued"]);
        Assert.Null(pending[withdrawn]["proposal"]!["queued"]);

        // The Markdown says so in words too: nothing under "applied".
        var appliedSection = MarkdownSection.Of(markdown, "### Corrections applied");
        Assert.Contains("None.", appliedSection);
        var notApplied = MarkdownSection.Of(markdown, "### Corrections not applied");
        Assert.Contains($"| {queued} | VoidTitle | queued", notApplied);
        Assert.Contains($"| {withdrawn} | VoidTitle | expired", notApplied);
    }

    [Fact]
    public async Task Key_rotations_re_enrolments_and_code_bindings_are_listed_with_their_proposals()
    {
        var c = await fixture.FreshConsortiumAsync();
        var indexOfTrader2 =
            (await c.Ledger.QueryAsync<MemberOfFunction, MemberOutput>(new MemberOfFunction { Account = c.Trader2.Address })).Index;
        await c.BindAsync(new ProposeKeyRotationFunction { Member = c.Trader2.Address, NewAccount = c.Spare.Address });
        await c.RemoveAsync(c.Trader);
        await c.BindAsync(new ProposeReenrolmentFunction
        {
            Member = c.Trader.Address, Roles = (byte)MemberRoles.Trader, Name = TestConsortium.OrganisationName("trader"),
            KeepTitles = true,
        });

        var (json, markdown) = await AuditAsync(c);
        var governance = json["governance"]!;

        var rotation = Assert.Single(Array(governance["keyRotations"]));
        Assert.Equal((Lower(c.Trader2), Lower(c.Spare)), (Text(rotation, "oldAccount"), Text(rotation, "newAccount")));
        Assert.Equal((ulong)indexOfTrader2, Number(rotation, "index"));
        Assert.Equal("RotateKey", Text(rotation["proposal"]!, "kind"));
        Assert.Equal([Lower(c.Admin1), Lower(c.Admin2)], Array(rotation["proposal"]!["approvers"]).Select(a => a.GetValue<string>()));
        var reenrolment = Assert.Single(Array(governance["reenrolments"]));
        Assert.Equal(Lower(c.Trader), Text(reenrolment, "member"));
        Assert.True(reenrolment["keptTitles"]!.GetValue<bool>());
        Assert.Equal(Number(reenrolment, "oldIndex"), Number(reenrolment, "newIndex"));
        Assert.Equal("ReenrolMember", Text(reenrolment["proposal"]!, "kind"));
        var bindings = Array(governance["codeBindings"]);
        Assert.Equal(
            [("carrier", TestConsortium.CarrierCode, Lower(c.Carrier)), ("port", TestConsortium.PortOfLoading, Lower(c.Port))],
            bindings.Select(b => (Text(b, "kind"), Text(b, "code"), Text(b, "member"))));
        Assert.All(bindings, b => Assert.Equal("executed", Text(b["proposal"]!, "state")));
        // Every proposal, of any kind, with its state: the setup's enrolments and bindings, the rotation, removal and re-enrolment.
        var proposals = Array(governance["proposals"]);
        Assert.Equal((int)TestConsortium.SetupProposals + 3, proposals.Count);
        Assert.All(proposals, p => Assert.Equal("executed", Text(p, "state")));

        Assert.Contains("### Key rotations", markdown);
        Assert.Contains($"`{Lower(c.Spare)}`", MarkdownSection.Of(markdown, "### Key rotations"));
        Assert.Contains("SGSIN", MarkdownSection.Of(markdown, "### Carrier and port code bindings"));
    }

    private async Task<(JsonObject Json, string Markdown)> AuditAsync(TestConsortium c)
    {
        var replay = await ChainReplay.RunAsync(
            fixture.Chain.RpcUrl, c.Ledger.Address, new ReplayOptions { FromBlock = c.DeploymentBlock });
        var check = await StateCheck.RunAsync(c.Ledger, replay.Ledger.Snapshot(), replay.ToBlock);
        var report = LedgerAudit.Analyse(replay, (ulong)fixture.Chain.ChainId, c.Ledger.Address, stateCheck: check);
        Assert.True(check.Passed, string.Join("\n", check.Mismatches));
        // The JSON an auditor keeps, read back as text: what it says, not what the model holds.
        return (JsonNode.Parse(AuditReportJson.Serialize(report))!.AsObject(), AuditReportMarkdown.Render(report));
    }

    private static string Lower(Actor actor) => actor.Address.ToLowerInvariant();

    private static List<JsonNode> Array(JsonNode? node) => node is JsonArray array
        ? [.. array.Select(n => n!)] : throw new Xunit.Sdk.XunitException($"not a list: {node?.ToJsonString() ?? "absent"}");

    private static string Text(JsonNode node, string name) => node[name]?.GetValue<string>()
        ?? throw new Xunit.Sdk.XunitException($"no '{name}' in {node.ToJsonString()}");

    private static ulong Number(JsonNode node, string name) => node[name]?.GetValue<ulong>()
        ?? throw new Xunit.Sdk.XunitException($"no '{name}' in {node.ToJsonString()}");
}
