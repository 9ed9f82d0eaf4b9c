using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>Every role-restricted function called by every role and by non-members: only the permitted succeed.</summary>
[Collection(ChainCollection.Name)]
public sealed class RoleMatrixTests(ChainFixture fixture)
{
    public enum Operation
    {
        RegisterTitle, Pledge, AttestLoading, Anchor, ProposeEnrolment, Approve,
        // Issue 13: who declares a default (the pledgee), who contests it (the holder), who sets the terms (admins),
        // who may withdraw a consent (any member, its own).
        DeclareDefault, ContestDefault, ProposeMaxPledgeTerm, RevokeConsent,
    }

    public static readonly string[] Callers = ["bankA", "port", "trader", "carrier", "auditor", "outsider", "admin1"];

    /// <summary>Who may do what. Admins are not members unless enrolled, and members are not admins.</summary>
    private static string? ExpectedError(Operation operation, string caller) => (operation, caller) switch
    {
        (Operation.ProposeEnrolment or Operation.Approve or Operation.ProposeMaxPledgeTerm, "admin1") => null,
        (Operation.ProposeEnrolment or Operation.Approve or Operation.ProposeMaxPledgeTerm, _) => "NotAdmin",
        // Issue 14: only the carrier bound to the B/L's carrier code issues, only the port bound to the UN/LOCODE
        // attests; a trader (its own paper), a bank, an outsider or an admin is refused by the binding.
        (Operation.RegisterTitle, "carrier") => null,
        (Operation.RegisterTitle, _) => "NotCarrierFor",
        (Operation.AttestLoading, "port") => null,
        (Operation.AttestLoading, _) => "NotPortOfLoading",
        (_, "outsider" or "admin1") => "NotMember",
        (Operation.DeclareDefault, "bankA") => null,
        (Operation.DeclareDefault, _) => "NotPledgee",
        (Operation.ContestDefault, "trader") => null,
        (Operation.ContestDefault, _) => "NotHolder",
        (Operation.RevokeConsent, _) => null,
        (Operation.Pledge, "bankA") => null,
        (Operation.Anchor, _) => null,
        _ => "MissingRole",
    };

    public static TheoryData<Operation, string> Cases()
    {
        var data = new TheoryData<Operation, string>();
        foreach (var operation in Enum.GetValues<Operation>())
        {
            foreach (var caller in Callers) data.Add(operation, caller);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Only_permitted_roles_may_call(Operation operation, string callerName)
    {
        var c = await fixture.FreshConsortiumAsync();
        var caller = new[] { c.BankA, c.Port, c.Trader, c.Carrier, c.Auditor, c.Outsider, c.Admin1 }.Single(a => a.Name == callerName);
        var pledgeable = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-pledgeable");
        // Enforcement rows act on a title bank A holds under a live pledge (declared in default for the contest row).
        var financed = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-financed");
        var lien = (await c.PledgeAsync(c.BankA, [financed], [])).PledgeId;
        if (operation == Operation.ContestDefault) await c.BankA.Ledger.SendAsync(
            new DeclareDefaultFunction { PledgeId = lien, TitleId = financed });
        var openProposal = TestConsortium.ProposalIdOf(
            await c.Admin2.Ledger.SendAsync(new ProposeRemovalFunction { Member = c.Auditor.Address }));
        var now = await c.ChainTimeAsync();
        // A title names a lot its port attested already.
        if (operation == Operation.RegisterTitle) await TestConsortium.AttestAsync(c.Port, "lot-2", 100, now - 3600);

        Func<Task> call = operation switch
        {
            Operation.RegisterTitle => () => caller.Ledger.SendAsync(RegisterTitleFunction.OneLot(
                TestConsortium.CarrierCode, TestConsortium.Lot("lot-2"), c.Trader.Address, 5, TestConsortium.MetricTonnes,
                [TestConsortium.Key("bl-new")])),
            Operation.Pledge => () => c.PledgeAsync(caller, [pledgeable], []),
            Operation.AttestLoading => () => TestConsortium.AttestAsync(caller, "lot-3", 100, now - 3600),
            Operation.Anchor => () => caller.Ledger.SendAsync(new AnchorFunction { Root = TestConsortium.Key("root"), LeafCount = 3 }),
            Operation.ProposeEnrolment => () => caller.Ledger.SendAsync(new ProposeEnrolmentFunction
            {
                Member = c.Spare.Address, Roles = (byte)MemberRoles.Bank, Name = TestConsortium.OrganisationName("spare"),
            }),
            Operation.Approve => () => caller.Ledger.SendAsync(new ApproveFunction { ProposalId = openProposal }),
            Operation.DeclareDefault => () => caller.Ledger.SendAsync(new DeclareDefaultFunction { PledgeId = lien, TitleId = financed }),
            Operation.ContestDefault => () => caller.Ledger.SendAsync(new ContestDefaultFunction { PledgeId = lien, TitleId = financed }),
            Operation.ProposeMaxPledgeTerm => () => caller.Ledger.SendAsync(new ProposeMaxPledgeTermFunction { Duration = 30 * 86_400 }),
            Operation.RevokeConsent => () => caller.Ledger.SendAsync(new RevokeConsentFunction { ConsentNonce = 5 }),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        var expected = ExpectedError(operation, callerName);
        if (expected is null)
        {
            await call();
            await AssertEffectAsync(c, operation, pledgeable, lien, caller);
        }
        else
        {
            var error = await Refusal.ExpectAsync(expected, call);
            Assert.Equal(caller.Address, (string)error.Arguments["account"]!, ignoreCase: true);
            await AssertNoEffectAsync(c, operation, pledgeable, lien, caller);
        }
    }

    private static async Task AssertEffectAsync(TestConsortium c, Operation operation, ulong pledgeable, ulong lien, Actor caller)
    {
        switch (operation)
        {
            case Operation.DeclareDefault: Assert.NotEqual(0UL, await EnforceableAtAsync(c, lien)); break;
            case Operation.ContestDefault: break; // an event only: the call not reverting is the effect
            case Operation.ProposeMaxPledgeTerm: Assert.Equal(
                2UL, (await c.Ledger.QueryAsync<GovernanceFunction, GovernanceOutput>(new()))
                .ProposalCount - TestConsortium.SetupProposals); break;
            case Operation.RevokeConsent: Assert.True(await NonceUsedAsync(c, caller)); break;
            case Operation.RegisterTitle: Assert.Equal(3UL, (await c.KeyStateAsync("bl-new")).TitleId); break;
            case Operation.Pledge: Assert.NotEqual(0UL, (await c.TitleAsync(pledgeable)).PledgeId); break;
            case Operation.AttestLoading: Assert.True((await c.LotAsync("lot-3")).Attested); break;
            case Operation.Anchor: Assert.NotEqual(
                0UL, (await c.Ledger.QueryAsync<AnchorOfFunction, AnchorOutput>(
                    new() { Root = TestConsortium.Key("root"), LeafCount = 3, Submitter = caller.Address })).AnchoredAt); break;
            case Operation.ProposeEnrolment: Assert.Equal(
                2UL, (await c.Ledger.QueryAsync<GovernanceFunction, GovernanceOutput>(new()))
                .ProposalCount - TestConsortium.SetupProposals); break;
            case Operation.Approve: Assert.False(
                (await c.Ledger.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = c.Auditor.Address })).Active); break;
        }
    }

    private static async Task AssertNoEffectAsync(TestConsortium c, Operation operation, ulong pledgeable, ulong lien, Actor caller)
    {
        switch (operation)
        {
            case Operation.DeclareDefault: Assert.Equal(0UL, await EnforceableAtAsync(c, lien)); break;
            case Operation.ContestDefault: break;
            case Operation.ProposeMaxPledgeTerm: Assert.Equal(
                1UL, (await c.Ledger.QueryAsync<GovernanceFunction, GovernanceOutput>(new()))
                .ProposalCount - TestConsortium.SetupProposals); break;
            case Operation.RevokeConsent: Assert.False(await NonceUsedAsync(c, caller)); break;
            case Operation.RegisterTitle: Assert.Equal(0UL, (await c.KeyStateAsync("bl-new")).TitleId); break;
            case Operation.Pledge: Assert.Equal(0UL, (await c.TitleAsync(pledgeable)).PledgeId); break;
            case Operation.AttestLoading: Assert.False((await c.LotAsync("lot-3")).Attested); break;
            case Operation.Anchor: Assert.Equal(
                0UL, (await c.Ledger.QueryAsync<AnchorOfFunction, AnchorOutput>(
                    new() { Root = TestConsortium.Key("root"), LeafCount = 3, Submitter = caller.Address })).AnchoredAt); break;
            case Operation.ProposeEnrolment: Assert.Equal(
                1UL, (await c.Ledger.QueryAsync<GovernanceFunction, GovernanceOutput>(new()))
                .ProposalCount - TestConsortium.SetupProposals); break;
            case Operation.Approve: Assert.True(
                (await c.Ledger.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = c.Auditor.Address })).Active); break;
        }
    }

    private static Task<ulong> EnforceableAtAsync(TestConsortium c, ulong pledgeId) =>
        c.Ledger.QueryValueAsync<EnforceableAtFunction, ulong>(new() { PledgeId = pledgeId });

    private static Task<bool> NonceUsedAsync(TestConsortium c, Actor member) =>
        c.Ledger.QueryValueAsync<ConsentNonceUsedFunction, bool>(new() { Member = member.Address, ConsentNonce = 5 });
}
