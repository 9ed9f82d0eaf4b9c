using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Contracts.Tests;

[Collection(ChainCollection.Name)]
public sealed class RebuildFromLogsTests(ChainFixture fixture)
{
    [Fact]
    public async Task State_rebuilt_from_events_alone_equals_state_read_through_views()
    {
        var c = await fixture.FreshConsortiumAsync();
        await ScriptedHistoryAsync(c);

        var events = await LedgerEvents.ReadAllAsync(c.Ledger, c.DeploymentBlock);
        var projection = new LedgerProjection();
        projection.ApplyAll(events);
        var rebuilt = projection.Snapshot();
        var viewed = await ChainStateReader.ReadAsync(
            c.Ledger, projection.KnownKeys(), projection.KnownAnchors(), c.Admins.Select(a => a.Address).Append(c.Spare.Address),
            codes: projection.KnownCodes());

        Assert.Equal(viewed.ToLines(), rebuilt.ToLines());
        // The history touched every kind of event, so the comparison covered every projection rule.
        Assert.Equal(LedgerEvents.KnownEventCount, events.Select(e => e.Event.GetType()).Distinct().Count());
        Assert.Single(projection.BlockedAttempts);
    }

    [Fact]
    public async Task A_rebuild_that_misses_one_event_differs_from_the_chain()
    {
        var c = await fixture.FreshConsortiumAsync();
        await ScriptedHistoryAsync(c);
        var events = await LedgerEvents.ReadAllAsync(c.Ledger, c.DeploymentBlock);
        var viewed = await ChainStateReader.ReadAsync(
            c.Ledger, [.. AllKeys(events)], [.. AllRoots(events)], c.Admins.Select(a => a.Address));

        var lastRelease = events.Last(e => e.Event is ReleasedEvent);
        var projection = new LedgerProjection();
        projection.ApplyAll(events.Where(e => e != lastRelease));

        Assert.NotEqual(viewed.ToLines(), projection.Snapshot().ToLines());
    }

    /// <summary>A history that emits every event type the contract has.</summary>
    internal static async Task ScriptedHistoryAsync(TestConsortium c)
    {
        var now = await c.ChainTimeAsync();
        // Issue 14, under the 2-of-3 admins: a withdrawn approval, a key rotation, removal and explicit re-enrolment,
        // and the time-locked corrections (attestation, title void, over-issue clearance).
        var withdrawn = TestConsortium.ProposalIdOf(
            await c.Admin1.Ledger.SendAsync(new ProposeMaxPledgeTermFunction { Duration = 30 * 86_400 }));
        await c.Admin1.Ledger.SendAsync(new WithdrawApprovalFunction { ProposalId = withdrawn });
        var rotated = c.Chain.Accounts[12].Address;
        await c.BindAsync(new ProposeKeyRotationFunction { Member = c.Trader2.Address, NewAccount = rotated });
        await c.BindAsync(new ProposeRemovalFunction { Member = rotated });
        var returning = c.Chain.Accounts[13].Address;
        await c.BindAsync(
            new ProposeEnrolmentFunction { Member = returning, Roles = (byte)MemberRoles.Bank,
            Name = TestConsortium.OrganisationName("returning") });
        await c.BindAsync(new ProposeRemovalFunction { Member = returning });
        await c.BindAsync(
            new ProposeReenrolmentFunction { Member = returning, Roles = (byte)MemberRoles.Bank,
            Name = TestConsortium.OrganisationName("returning"), KeepTitles = true });
        await TestConsortium.AttestAsync(c.Port, "lot-2", 2000, now - 3600);
        var t3 = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-2", 900, "bl-3");
        var t4 = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-2", 900, "bl-4");
        var correction = TestConsortium.ProposalIdOf(
            await c.Admin1.Ledger.SendAsync(
                new ProposeAttestationCorrectionFunction { LotKey = TestConsortium.Lot("lot-2"), Quantity = 1000 }));
        await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = correction });
        var voiding = TestConsortium.ProposalIdOf(await c.Admin1.Ledger.SendAsync(new ProposeTitleVoidFunction { TitleId = t4 }));
        await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = voiding });
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(49));
        await c.Admin3.Ledger.SendAsync(new ExecuteProposalFunction { ProposalId = correction }); // 1,800 live > 1,000: over-issued
        await c.Admin3.Ledger.SendAsync(new ExecuteProposalFunction { ProposalId = voiding });
        await c.CorrectAsync(new ProposeOverIssueClearanceFunction { LotKey = TestConsortium.Lot("lot-2") }); // 900 live <= 1,000

        var update = TestConsortium.ProposalIdOf(await c.Admin1.Ledger.SendAsync(new ProposeMemberUpdateFunction
        {
            Member = c.Auditor.Address, Roles = (byte)(MemberRoles.Auditor | MemberRoles.Port),
            Name = TestConsortium.OrganisationName("auditor+port"),
        }));
        await c.Admin3.Ledger.SendAsync(new ApproveFunction { ProposalId = update });
        var addAdmin = TestConsortium.ProposalIdOf(
            await c.Admin1.Ledger.SendAsync(new ProposeAdminAdditionFunction { Admin = c.Spare.Address }));
        await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = addAdmin });
        var removeAdmin = TestConsortium.ProposalIdOf(
            await c.Admin1.Ledger.SendAsync(new ProposeAdminRemovalFunction { Admin = c.Admin3.Address }));
        await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = removeAdmin });
        var threshold = TestConsortium.ProposalIdOf(await c.Admin1.Ledger.SendAsync(new ProposeThresholdFunction { Threshold = 3 }));
        await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = threshold });
        await c.Admin1.Ledger.SendAsync(new ProposeEnrolmentFunction
        {
            Member = c.Outsider.Address, Roles = (byte)MemberRoles.Bank, Name = TestConsortium.OrganisationName("pending"),
        });

        await TestConsortium.AttestAsync(c.Port, "lot-1", 1000, now - 7200);
        var t1 = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 600, "bl-1", "c-1", "c-2");
        var t2 = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 300, "bl-2", "c-3");
        await c.PledgeAsync(c.BankA, [], ["bl-5"]); // a free-key lock the carrier's title supersedes
        await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 50, "bl-5");
        var p1 = await c.PledgeAsync(c.BankA, [t1], ["inv-1", "inv-2"]);
        await c.PledgeAsync(c.BankB, [], ["c-2"]); // blocked
        var p2 = await c.PledgeAsync(c.BankB, [t2], [], TimeSpan.FromHours(1));
        await c.PledgeAsync(c.BankB, [], ["inv-9"], TimeSpan.FromHours(1));
        await c.BankA.Ledger.SendAsync(new ReleaseFunction { PledgeId = p1.PledgeId, TitleIds = [], Keys = [TestConsortium.Key("inv-2")] });
        await c.BankA.Ledger.SendAsync(new DeclareDefaultFunction { PledgeId = p1.PledgeId, TitleId = t1 });
        await c.Trader.Ledger.SendAsync(new ContestDefaultFunction { PledgeId = p1.PledgeId, TitleId = t1 });
        await c.Trader.Ledger.SendAsync(new RevokeConsentFunction { ConsentNonce = await c.NonceOfAsync(c.Trader) + 1 });
        await c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = t3, NewHolder = c.Carrier.Address });
        await c.Carrier.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = t3 });
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(73)); // the contest period passes, the one-hour pledges expire
        await c.BankA.Ledger.SendAsync(new TransferTitleFunction { TitleId = t1, NewHolder = c.BankA.Address });
        await c.PledgeAsync(c.BankA, [], ["inv-9"]); // over bank B's expired lock
        await c.Outsider.Ledger.SendAsync(new ReleaseFunction { PledgeId = p2.PledgeId, TitleIds = [t2] });
        await c.BankA.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = t1 });
        await c.Port.Ledger.SendAsync(new AnchorFunction { Root = TestConsortium.Key("batch-1"), LeafCount = 12 });
        await c.Trader.Ledger.SendAsync(new AnchorFunction { Root = TestConsortium.Key("batch-2"), LeafCount = 3 });
    }

    private static IEnumerable<string> AllKeys(IEnumerable<LedgerEvent> events) => events.SelectMany(e => e.Event switch
    {
        TitleRegisteredEvent r => r.Keys,
        PledgedEvent p => p.Keys,
        _ => [],
    }).Select(Hex.Of);

    private static IEnumerable<(string, uint, string)> AllRoots(IEnumerable<LedgerEvent> events) =>
        events.Select(e => e.Event).OfType<AnchoredEvent>().Select(a => (Hex.Of(a.Root), a.LeafCount, Hex.Address(a.Submitter)));
}
