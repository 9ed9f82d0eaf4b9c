using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Consent;
using OffshoreLedger.Ledger.Decoding;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>
/// Issue 13's attacks on a real chain: a rival bank trying to seize, destroy or freeze a title it was never given,
/// and every way of stretching a consent beyond what its holder signed. Each is refused, and leaves the title as it was.
/// </summary>
[Collection(ChainCollection.Name)]
public sealed class ConsentAttackTests(ChainFixture fixture)
{
    private static readonly TimeSpan Term = TimeSpan.FromDays(90);

    [Fact]
    public async Task A_pledge_without_the_holders_consent_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.ConsentedPledgeAsync(c.BankB, [title], [], await ExpiryAsync(c), c.Trader);
        pledge.Consent.Signature = [];

        await Refusal.ExpectAsync("ConsentInvalid", () => c.BankB.Ledger.SendAsync(pledge));
        await AssertUnpledgedAsync(c, title);
    }

    [Fact]
    public async Task A_title_id_word_with_bits_above_64_pledges_nothing()
    {
        // The contract hashes the consented title ids straight from calldata; an id is checked as a uint64 only when read.
        // Attack: a bank carries the holder's consent to title T with T's word dirtied above bit 64.
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = (await c.ConsentedPledgeAsync(c.BankA, [title], [], await ExpiryAsync(c), c.Trader)).GetCallData();

        await Assert.ThrowsAsync<RpcResponseException>(
            () => RawCalldata.CallAsync(c, c.BankA, RawCalldata.WithBitAbove64InFirstElement(pledge, 2, title)));

        // The same pledge with the clean word is granted (so the refusal above is the dirty word's doing).
        Assert.NotEqual(BigInteger.Zero, RawCalldata.Word(await RawCalldata.CallAsync(c, c.BankA, pledge)));
    }

    [Fact]
    public async Task A_rival_bank_cannot_seize_a_title_by_pledging_transferring_and_releasing_it()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");

        // Bank B signs a "consent" itself: it is not the holder.
        await Refusal.ExpectAsync("ConsentNotFromHolder", () => c.PledgeAsync(c.BankB, [title], [], borrower: c.BankB));
        await Refusal.ExpectAsync("NotHolder", () =>
            c.BankB.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.BankB.Address }));
        await Refusal.ExpectAsync("NotHolder", () => c.BankB.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = title }));

        Assert.Equal(c.Trader.Address, (await c.TitleAsync(title)).Holder, ignoreCase: true);
    }

    [Fact]
    public async Task A_consent_for_another_bank_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var forBankA = await c.ConsentedPledgeAsync(c.BankA, [title], [], await ExpiryAsync(c), c.Trader);

        await Refusal.ExpectAsync("ConsentInvalid", () => c.BankB.Ledger.SendAsync(forBankA));
        await AssertUnpledgedAsync(c, title);
    }

    [Fact]
    public async Task A_consent_for_other_titles_or_keys_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var consented = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var other = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-2");
        var pledge = await c.ConsentedPledgeAsync(c.BankA, [consented], [], await ExpiryAsync(c), c.Trader);

        pledge.TitleIds = [other];
        await Refusal.ExpectAsync("ConsentInvalid", () => c.BankA.Ledger.SendAsync(pledge));
        pledge.TitleIds = [consented, other];
        await Refusal.ExpectAsync("ConsentInvalid", () => c.BankA.Ledger.SendAsync(pledge));
        pledge.TitleIds = [consented];
        pledge.Keys = [TestConsortium.Key("invoice-1")];
        await Refusal.ExpectAsync("ConsentInvalid", () => c.BankA.Ledger.SendAsync(pledge));

        await AssertUnpledgedAsync(c, consented);
        await AssertUnpledgedAsync(c, other);
    }

    [Fact]
    public async Task A_consent_for_another_expiry_or_financing_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.ConsentedPledgeAsync(c.BankA, [title], [], await ExpiryAsync(c), c.Trader);

        pledge.Expiry += 86_400;
        await Refusal.ExpectAsync("ConsentInvalid", () => c.BankA.Ledger.SendAsync(pledge));
        pledge.Expiry -= 86_400;
        pledge.FinancingReference = TestConsortium.Key("another loan");
        await Refusal.ExpectAsync("ConsentInvalid", () => c.BankA.Ledger.SendAsync(pledge));

        await AssertUnpledgedAsync(c, title);
    }

    [Fact]
    public async Task A_consent_signed_for_another_chain_id_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");

        var pledge = await SignedForDomainAsync(c, title, new ConsentDomain(1, c.Ledger.Address));

        await Refusal.ExpectAsync("ConsentInvalid", () => c.BankA.Ledger.SendAsync(pledge));
        await AssertUnpledgedAsync(c, title);
    }

    [Fact]
    public async Task A_consent_signed_for_another_contract_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var elsewhere = await TestConsortium.CreateAsync(fixture.Chain, enrolMembers: false);
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");

        var pledge = await SignedForDomainAsync(c, title, new ConsentDomain(c.Chain.ChainId, elsewhere.Ledger.Address));

        await Refusal.ExpectAsync("ConsentInvalid", () => c.BankA.Ledger.SendAsync(pledge));
        await AssertUnpledgedAsync(c, title);
    }

    [Fact]
    public async Task A_consent_used_once_cannot_be_used_again()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.ConsentedPledgeAsync(c.BankA, [title], [], await ExpiryAsync(c), c.Trader);
        var granted = LedgerEvents.Decode(await c.BankA.Ledger.SendAsync(pledge)).Select(e => e.Event).OfType<PledgedEvent>().Single();
        await c.BankA.Ledger.SendAsync(new ReleaseFunction { PledgeId = granted.PledgeId, TitleIds = [title] });

        var error = await Refusal.ExpectAsync("ConsentUsed", () => c.BankA.Ledger.SendAsync(Again(pledge)));

        Assert.Equal(c.Trader.Address, (string)error.Arguments["borrower"]!, ignoreCase: true);
        await AssertUnpledgedAsync(c, title);
    }

    [Fact]
    public async Task A_consent_after_its_deadline_is_refused()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.ConsentedPledgeAsync(c.BankA, [title], [], await ExpiryAsync(c), c.Trader);

        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(2));

        await Refusal.ExpectAsync("ConsentExpired", () => c.BankA.Ledger.SendAsync(pledge));
        await AssertUnpledgedAsync(c, title);
    }

    [Fact]
    public async Task A_term_beyond_the_governed_maximum_is_refused_and_governance_sets_the_maximum()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var terms = await c.Ledger.QueryAsync<PledgeTermsFunction, PledgeTermsOutput>(new());
        Assert.Equal((uint)TimeSpan.FromDays(400).TotalSeconds, terms.MaxPledgeTerm);
        Assert.Equal((uint)TimeSpan.FromHours(72).TotalSeconds, terms.ContestPeriod);

        await Refusal.ExpectAsync("PledgeTermTooLong", () => c.PledgeAsync(c.BankA, [title], [], TimeSpan.FromDays(401)));
        // The node used to accept expiries up to 9999-12-31: a freeze for ever.
        await Refusal.ExpectAsync("PledgeTermTooLong", () => c.BankA.Ledger.SendAsync(new PledgeFunction
        {
            FinancingReference = TestConsortium.Key("loan"), Expiry = 253_402_300_799, TitleIds = [title],
        }));

        var proposal = TestConsortium.ProposalIdOf(
            await c.Admin1.Ledger.SendAsync(new ProposeMaxPledgeTermFunction { Duration = 30 * 86_400 }));
        await c.Admin2.Ledger.SendAsync(new ApproveFunction { ProposalId = proposal });
        await Refusal.ExpectAsync("PledgeTermTooLong", () => c.PledgeAsync(c.BankA, [title], [], TimeSpan.FromDays(31)));
        Assert.True((await c.PledgeAsync(c.BankA, [title], [], TimeSpan.FromDays(29))).Granted);
    }

    [Fact]
    public async Task The_pledgee_cannot_transfer_or_surrender_without_a_completed_enforcement()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], []);

        var error = await Refusal.ExpectAsync("EnforcementNotComplete", () =>
            c.BankA.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.BankA.Address }));
        Assert.Equal(0UL, (ulong)error.AsInteger("enforceableAt"));
        await Refusal.ExpectAsync("EnforcementNotComplete", () => c.BankA.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = title }));

        // Default declared: the borrower contests it within the period, and the pledgee still has to wait it out.
        var declared = LedgerEvents.Decode(
            await c.BankA.Ledger.SendAsync(new DeclareDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title }))
            .Select(e => e.Event).OfType<DefaultDeclaredEvent>().Single();
        var contested = LedgerEvents.Decode(
            await c.Trader.Ledger.SendAsync(new ContestDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title }))
            .Select(e => e.Event).OfType<DefaultContestedEvent>().Single();
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(71));
        await Refusal.ExpectAsync("EnforcementNotComplete", () =>
            c.BankA.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.BankA.Address }));
        await Refusal.ExpectAsync("DefaultAlreadyDeclared", () =>
            c.BankA.Ledger.SendAsync(new DeclareDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title }));
        Assert.Equal(c.Trader.Address, contested.Borrower, ignoreCase: true);
        Assert.Equal(c.Trader.Address, (await c.TitleAsync(title)).Holder, ignoreCase: true);

        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(2));
        await Refusal.ExpectAsync("NoDefaultToContest", () =>
            c.Trader.Ledger.SendAsync(new ContestDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title }));
        await c.BankA.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.BankA.Address });

        Assert.True(declared.EnforceableAt <= await c.ChainTimeAsync());
        Assert.Equal(c.BankA.Address, (await c.TitleAsync(title)).Holder, ignoreCase: true);
    }

    [Fact]
    public async Task Only_the_pledgee_declares_default_and_only_the_holder_contests_it()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], []);

        await Refusal.ExpectAsync(
            "NotPledgee", () => c.BankB.Ledger.SendAsync(new DeclareDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title }));
        await Refusal.ExpectAsync(
            "NoDefaultToContest",
            () => c.Trader.Ledger.SendAsync(new ContestDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title }));
        await c.BankA.Ledger.SendAsync(new DeclareDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title });
        await Refusal.ExpectAsync(
            "NotHolder", () => c.BankB.Ledger.SendAsync(new ContestDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title }));
    }

    [Fact]
    public async Task The_pledgee_may_surrender_with_the_holders_signature()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], []);
        var deadline = await c.ChainTimeAsync() + 3_600;
        var nonce = await c.NonceOfAsync(c.Trader);

        // Bank A's own signature is not the holder's.
        await Refusal.ExpectAsync(
            "ConsentNotFromHolder", () => c.BankA.Ledger.SendAsync(SurrenderConsent(c, c.BankA, title, pledge.PledgeId, 0, deadline)));
        await c.BankA.Ledger.SendAsync(SurrenderConsent(c, c.Trader, title, pledge.PledgeId, nonce, deadline));

        Assert.Equal((byte)TitleStatus.Surrendered, (await c.TitleAsync(title)).Status);
    }

    [Fact]
    public async Task An_expired_lock_gives_its_pledgee_no_control()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var pledge = await c.PledgeAsync(c.BankA, [title], [], TimeSpan.FromHours(1));
        await c.BankA.Ledger.SendAsync(new DeclareDefaultFunction { PledgeId = pledge.PledgeId, TitleId = title });

        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(73));

        await Refusal.ExpectAsync("NotHolder", () =>
            c.BankA.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.BankA.Address }));
        await Refusal.ExpectAsync("NotHolder", () => c.BankA.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = title }));
        await c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = title, NewHolder = c.Trader2.Address });
        Assert.Equal(c.Trader2.Address, (await c.TitleAsync(title)).Holder, ignoreCase: true);
    }

    [Fact]
    public async Task An_expired_lock_blocks_nothing_and_the_next_pledge_releases_it_with_an_event()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var first = await c.PledgeAsync(c.BankA, [title], ["invoice-1"], TimeSpan.FromHours(1));
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(2));

        var message = await c.ConsentedPledgeAsync(c.BankB, [title], [TestConsortium.Key("invoice-1")], await ExpiryAsync(c), c.Trader);
        var events = LedgerEvents.Decode(await c.BankB.Ledger.SendAsync(message)).Select(e => e.Event).ToList();

        var second = events.OfType<PledgedEvent>().Single();
        var released = events.OfType<ExpiredLockReleasedEvent>().ToList();
        Assert.Equal([(first.PledgeId, title), (first.PledgeId, 0UL)], released.Select(r => (r.PledgeId, r.TitleId)));
        Assert.Equal(TestConsortium.Key("invoice-1"), released[1].Key);
        Assert.Equal(second.PledgeId, (await c.TitleAsync(title)).PledgeId);
        Assert.Equal(c.BankB.Address, (await c.KeyStateAsync("invoice-1")).Pledgee, ignoreCase: true);
    }

    [Fact]
    public async Task An_expired_lock_on_a_free_key_does_not_block_its_registration()
    {
        var c = await fixture.FreshConsortiumAsync();
        var pledge = await c.PledgeAsync(c.BankA, [], ["container-9"], TimeSpan.FromHours(1));
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromHours(2));

        var title = await TestConsortium.RegisterAsync(c.Carrier, c.Trader, "lot-1", 10, "bl-9", "container-9");

        var key = await c.KeyStateAsync("container-9");
        Assert.Equal(title, key.TitleId);
        Assert.Equal(0UL, key.PledgeId);
        Assert.True(pledge.Granted);
    }

    [Fact]
    public async Task Free_keys_are_pledged_under_a_traders_consent_who_becomes_the_borrower()
    {
        var c = await fixture.FreshConsortiumAsync();

        await Refusal.ExpectAsync("BorrowerNotTrader", () => c.PledgeAsync(c.BankA, [], ["invoice-1"], borrower: c.BankA));
        var granted = await c.PledgeAsync(c.BankA, [], ["invoice-1"], borrower: c.Trader2);

        Assert.True(granted.Granted);
        Assert.Equal(1UL, await c.NonceOfAsync(c.Trader2));
    }

    [Fact]
    public async Task A_blocked_attempt_uses_up_its_consent_and_names_its_borrower()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var first = await c.PledgeAsync(c.BankA, [title], []);
        var message = await c.ConsentedPledgeAsync(c.BankB, [title], [], await ExpiryAsync(c), c.Trader);

        var blocked = LedgerEvents.Decode(await c.BankB.Ledger.SendAsync(message)).Select(e => e.Event).OfType<PledgeBlockedEvent>()
            .Single();

        Assert.Equal(first.PledgeId, blocked.ConflictingPledgeId);
        Assert.Equal(c.Trader.Address, blocked.Borrower, ignoreCase: true);
        await Refusal.ExpectAsync("ConsentUsed", () => c.BankB.Ledger.SendAsync(Again(message)));
    }

    [Fact]
    public async Task Consents_are_used_in_any_order_a_revoked_one_is_dead_and_an_unused_one_lapses_128_nonces_on()
    {
        var c = await fixture.FreshConsortiumAsync();
        var first = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var second = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-2");
        var expiry = await ExpiryAsync(c);
        var one = await c.ConsentedPledgeAsync(c.BankA, [first], [], expiry, c.Trader);
        var two = await c.ConsentedPledgeAsync(c.BankA, [second], [], expiry, c.Trader);
        two.Consent = PledgeConsent.Argument(
            new PledgeConsentTerms(c.BankA.Address, [second], [], two.FinancingReference, expiry, 1, two.Consent.Deadline),
            PledgeConsent.Sign(PledgeConsent.Digest(
                new PledgeConsentTerms(c.BankA.Address, [second], [], two.FinancingReference, expiry, 1, two.Consent.Deadline), c.Domain),
                    c.Trader.PrivateKey));

        await c.BankA.Ledger.SendAsync(two); // nonce 1 before nonce 0
        await c.BankA.Ledger.SendAsync(one);
        Assert.Equal(2UL, await c.NonceOfAsync(c.Trader));

        // Revoked before use: dead.
        var three = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-3");
        var revoked = await c.ConsentedPledgeAsync(c.BankA, [three], [], expiry, c.Trader);
        await c.Trader.Ledger.SendAsync(new RevokeConsentFunction { ConsentNonce = revoked.Consent.Nonce });
        await Refusal.ExpectAsync("ConsentUsed", () => c.BankA.Ledger.SendAsync(revoked));

        // Left unused, nonce 3 holds the window's base until a nonce 128 above it is used; then it is void.
        var stale = await c.ConsentedPledgeAsync(c.BankA, [three], [], expiry, c.Trader);
        await c.Trader.Ledger.SendAsync(new RevokeConsentFunction { ConsentNonce = stale.Consent.Nonce + 128 });
        await Refusal.ExpectAsync("ConsentUsed", () => c.BankA.Ledger.SendAsync(stale));
        Assert.Equal(stale.Consent.Nonce + 1, await c.NonceOfAsync(c.Trader));
    }

    [Fact]
    public async Task The_sdk_digest_is_the_contracts_digest()
    {
        var c = await fixture.FreshConsortiumAsync();
        var terms = new PledgeConsentTerms(
            c.BankA.Address, [3, 7], [TestConsortium.Key("a"), TestConsortium.Key("b")], TestConsortium.Key("ref"), 1_900_000_000, 5,
            1_800_000_000);

        var onChain = await c.Ledger.QueryValueAsync<PledgeConsentDigestFunction, byte[]>(new()
        {
            Bank = terms.Bank, TitleIds = [.. terms.TitleIds], Keys = [.. terms.Keys], FinancingCommitment = terms.FinancingCommitment,
            Expiry = terms.Expiry, ConsentNonce = terms.Nonce, Deadline = terms.Deadline,
        });

        Assert.Equal(onChain.ToHex(), PledgeConsent.Digest(terms, c.Domain).ToHex());
        Assert.Equal(c.Trader.Address, PledgeConsent.Recover(onChain, PledgeConsent.Sign(onChain, c.Trader.PrivateKey)), ignoreCase: true);
    }

    /// <summary>The same message to send again: Nethereum keeps the first send's gas and nonce on it.</summary>
    private static PledgeFunction Again(PledgeFunction sent)
    {
        sent.Gas = null;
        sent.Nonce = null;
        return sent;
    }

    private static async Task<ulong> ExpiryAsync(TestConsortium c) => await c.ChainTimeAsync() + (ulong)Term.TotalSeconds;

    private static async Task<PledgeFunction> SignedForDomainAsync(TestConsortium c, ulong title, ConsentDomain domain)
    {
        var pledge = await c.ConsentedPledgeAsync(c.BankA, [title], [], await ExpiryAsync(c), c.Trader);
        var terms = new PledgeConsentTerms(
            c.BankA.Address, [title], [], pledge.FinancingReference, pledge.Expiry, pledge.Consent.Nonce, pledge.Consent.Deadline);
        pledge.Consent.Signature = PledgeConsent.Sign(PledgeConsent.Digest(terms, domain), c.Trader.PrivateKey);
        return pledge;
    }

    private static SurrenderWithHolderConsentFunction SurrenderConsent(
        TestConsortium c, Actor signer, ulong title, ulong pledgeId, ulong nonce, ulong deadline)
    {
        var typeHash = Nethereum.Util.Sha3Keccack.Current.CalculateHash(
            System.Text.Encoding.ASCII.GetBytes(
                "SurrenderConsent(address pledgee,uint64 titleId,uint48 pledgeId,uint64 nonce,uint40 deadline)"));
        var encoded = new Nethereum.ABI.ABIEncode().GetABIEncoded(
            new Nethereum.ABI.ABIValue("bytes32", typeHash), new Nethereum.ABI.ABIValue("address", c.BankA.Address),
            new Nethereum.ABI.ABIValue("uint64", title), new Nethereum.ABI.ABIValue("uint48", pledgeId),
            new Nethereum.ABI.ABIValue("uint64", nonce), new Nethereum.ABI.ABIValue("uint40", deadline));
        var structHash = Nethereum.Util.Sha3Keccack.Current.CalculateHash(encoded);
        var digest = Nethereum.Util.Sha3Keccack.Current.CalculateHash(
            [0x19, 0x01, .. PledgeConsent.DomainSeparator(c.Domain), .. structHash]);
        return new SurrenderWithHolderConsentFunction
        {
            TitleId = title, ConsentNonce = nonce, Deadline = deadline, Signature = PledgeConsent.Sign(digest, signer.PrivateKey),
        };
    }

    private static async Task AssertUnpledgedAsync(TestConsortium c, ulong title)
    {
        var state = await c.TitleAsync(title);
        Assert.Equal(0UL, state.PledgeId);
        Assert.Equal(c.Trader.Address, state.Holder, ignoreCase: true);
    }
}
