using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Util;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Titles;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// Issue 13 through the real servers: the holder's node signs a consent, the bank's Pledge carries it, and every bad consent gets its typed
/// error.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class ConsentApiTests(ConsortiumFixture fixture)
{
    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    private async Task<ulong> RegisterAsync(RunningNode trader) =>
        (await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = RandomKey(), Quantity = 10, Unit = "TNE",
            Keys = { RandomKey() },
        }, trader)).TitleId;

    private static SignPledgeConsentRequest ConsentTo(RunningNode bank, ulong title, int days = 90) => new()
    {
        Bank = bank.Address, TitleIds = { title }, ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(days)),
    };

    private static PledgeRequest PledgeWith(PledgeConsent consent, string reference = "LOAN-1") =>
        new() { RequestId = Guid.NewGuid().ToString(), FinancingReference = reference, Consent = consent };

    private static Google.Rpc.ErrorInfo Info(RpcException e) => e.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>();

    private static string? Field(RpcException e) =>
        e.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.FirstOrDefault()?.Field;

    [Fact]
    public async Task The_holders_node_signs_a_consent_showing_every_field_and_the_bank_pledges_with_it()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var title = await RegisterAsync(trader);
        await trader.SyncedToHeadAsync(fixture);
        var asked = ConsentTo(bank, title);

        var consent = (await trader.Titles.SignPledgeConsentAsync(asked, trader.Write)).Consent;
        await bank.SyncedToHeadAsync(fixture);
        var pledge = await bank.Titles.PledgeAsync(PledgeWith(consent), bank.Write);

        Assert.Equal(trader.Address, consent.Borrower, ignoreCase: true);
        Assert.Equal(bank.Address, consent.Bank, ignoreCase: true);
        Assert.Equal([title], consent.TitleIds);
        Assert.Empty(consent.Keys);
        Assert.True(consent.FinancingCommitment.IsEmpty);
        Assert.Equal(asked.ExpiresAt.Seconds, consent.ExpiresAt.Seconds);
        Assert.InRange(
            consent.Deadline.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(6), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(1));
        Assert.Equal(65, consent.Signature.Length);
        Assert.Equal((ulong)fixture.Chain.ChainId, consent.ChainId);
        Assert.Equal(fixture.Consortium.ContractAddress, consent.Contract, ignoreCase: true);
        await bank.SyncedToHeadAsync(fixture);
        var history = await bank.Titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = title }, bank.Read);
        var pledged = history.Events.Single(e => e.Pledged is not null).Pledged;
        Assert.Equal(pledge.PledgeId, pledged.PledgeId);
        Assert.Equal(trader.Address, pledged.Borrower, ignoreCase: true);
    }

    [Fact]
    public async Task A_pledge_without_consent_is_CONSENT_REQUIRED_naming_the_field()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank B");
        var title = await RegisterAsync(trader);

        var refused = await Assert.ThrowsAsync<RpcException>(() => bank.Titles.PledgeAsync(new PledgeRequest
        {
            RequestId = Guid.NewGuid().ToString(), FinancingReference = "LOAN-X", TitleIds = { title },
            ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(1)),
        }, bank.Write).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(ErrorReason.ConsentRequired.Name(), Info(refused).Reason);
        Assert.Equal("consent", Field(refused));
    }

    [Fact]
    public async Task A_consent_for_another_bank_or_other_titles_is_CONSENT_INVALID()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        await using var bankB = await RunningNode.StartAsync(fixture, "bank B");
        var title = await RegisterAsync(trader);
        var other = await RegisterAsync(trader);
        await trader.SyncedToHeadAsync(fixture);
        var forBankA = (await trader.Titles.SignPledgeConsentAsync(ConsentTo(bankA, title), trader.Write)).Consent;

        var otherBank = await Assert.ThrowsAsync<RpcException>(
            () => bankB.Titles.PledgeAsync(PledgeWith(forBankA), bankB.Write).ResponseAsync);
        var tampered = forBankA.Clone();
        tampered.TitleIds[0] = other;
        var otherTitle = await Assert.ThrowsAsync<RpcException>(
            () => bankA.Titles.PledgeAsync(PledgeWith(tampered), bankA.Write).ResponseAsync);
        var otherUnits = await Assert.ThrowsAsync<RpcException>(() =>
            bankA.Titles.PledgeAsync(new PledgeRequest(PledgeWith(forBankA)) { TitleIds = { other } }, bankA.Write).ResponseAsync);

        Assert.Equal((ErrorReason.ConsentInvalid.Name(), "consent.bank"), (Info(otherBank).Reason, Field(otherBank)));
        Assert.Equal((ErrorReason.ConsentInvalid.Name(), "consent.signature"), (Info(otherTitle).Reason, Field(otherTitle)));
        Assert.Equal((ErrorReason.ConsentInvalid.Name(), "title_ids"), (Info(otherUnits).Reason, Field(otherUnits)));
        var check = await bankA.Titles.CheckCollateralAsync(
            new CheckCollateralRequest { TitleIds = { title, other }, Consistency = Consistency.ChainHead }, bankA.Read);
        Assert.True(check.Clear);
    }

    [Fact]
    public async Task A_lapsed_consent_is_CONSENT_EXPIRED_and_a_used_one_CONSENT_USED()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var title = await RegisterAsync(trader);
        var expiry = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30));
        var lapsed = await new PledgeRequest { RequestId = Guid.NewGuid().ToString(), FinancingReference = "LOAN-L", TitleIds = { title },
            ExpiresAt = expiry }
            .ConsentedAsync(fixture, bank.Address, deadline: DateTimeOffset.UtcNow.AddMinutes(-1));

        var expired = await Assert.ThrowsAsync<RpcException>(() => bank.Titles.PledgeAsync(lapsed, bank.Write).ResponseAsync);
        await trader.SyncedToHeadAsync(fixture);
        var consent = (await trader.Titles.SignPledgeConsentAsync(ConsentTo(bank, title), trader.Write)).Consent;
        var pledge = await bank.Titles.PledgeAsync(PledgeWith(consent), bank.Write);
        await bank.Titles.ReleaseAsync(
            new ReleaseRequest { RequestId = Guid.NewGuid().ToString(), PledgeId = pledge.PledgeId, TitleIds = { title } }, bank.Write);
        var again = await Assert.ThrowsAsync<RpcException>(() => bank.Titles.PledgeAsync(PledgeWith(consent), bank.Write).ResponseAsync);

        Assert.Equal((StatusCode.FailedPrecondition, ErrorReason.ConsentExpired.Name()), (expired.StatusCode, Info(expired).Reason));
        Assert.Equal((StatusCode.FailedPrecondition, ErrorReason.ConsentUsed.Name()), (again.StatusCode, Info(again).Reason));
        Assert.Equal(trader.Address, Info(again).Metadata["borrower"], ignoreCase: true);
    }

    [Fact]
    public async Task Consents_signed_together_are_independent_and_used_in_any_order()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var first = await RegisterAsync(trader);
        var second = await RegisterAsync(trader);
        await trader.SyncedToHeadAsync(fixture);

        var one = (await trader.Titles.SignPledgeConsentAsync(ConsentTo(bank, first), trader.Write)).Consent;
        var two = (await trader.Titles.SignPledgeConsentAsync(ConsentTo(bank, second), trader.Write)).Consent;
        await bank.Titles.PledgeAsync(PledgeWith(two), bank.Write);
        await bank.Titles.PledgeAsync(PledgeWith(one), bank.Write);

        // Distinct nonces, the second above the first (nonces other consents already used on chain are skipped).
        Assert.True(two.Nonce > one.Nonce, $"nonces {one.Nonce} then {two.Nonce}");
    }

    [Fact]
    public async Task The_holders_node_refuses_to_sign_what_its_organisation_could_not_consent_to()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        await using var port = await RunningNode.StartAsync(fixture, "port");
        var title = await RegisterAsync(trader);
        await port.SyncedToHeadAsync(fixture);
        await trader.SyncedToHeadAsync(fixture);

        var notHeld = await Assert.ThrowsAsync<RpcException>(
            () => port.Titles.SignPledgeConsentAsync(ConsentTo(bank, title), port.Write).ResponseAsync);
        var notABank = await Assert.ThrowsAsync<RpcException>(
            () => trader.Titles.SignPledgeConsentAsync(ConsentTo(port, title), trader.Write).ResponseAsync);
        var tooLong = await Assert.ThrowsAsync<RpcException>(
            () => trader.Titles.SignPledgeConsentAsync(ConsentTo(bank, title, days: 401), trader.Write).ResponseAsync);
        var bad = await Assert.ThrowsAsync<RpcException>(() => trader.Titles.SignPledgeConsentAsync(
            new SignPledgeConsentRequest { Bank = "bank A", Keys = { ByteString.CopyFrom(new byte[5]) } }, trader.Write).ResponseAsync);
        var readKey = await Assert.ThrowsAsync<RpcException>(
            () => trader.Titles.SignPledgeConsentAsync(ConsentTo(bank, title), trader.Read).ResponseAsync);

        Assert.Equal(ErrorReason.NotHolder.Name(), Info(notHeld).Reason);
        Assert.Equal((ErrorReason.InvalidArgument.Name(), "bank"), (Info(notABank).Reason, Field(notABank)));
        Assert.Equal((ErrorReason.InvalidArgument.Name(), "expires_at"), (Info(tooLong).Reason, Field(tooLong)));
        var fields = bad.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations.Select(v => v.Field).ToList();
        Assert.Equal(["bank", "keys[0]", "expires_at"], fields);
        Assert.Equal(ErrorReason.ScopeMissing.Name(), Info(readKey).Reason);
    }

    [Fact]
    public async Task The_financing_reference_goes_on_chain_only_as_a_commitment_under_the_banks_own_key()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        await using var bankB = await RunningNode.StartAsync(fixture, "bank B");
        var title = await RegisterAsync(trader);
        await trader.SyncedToHeadAsync(fixture);
        const string reference = "BKA-TF-2026-443041";
        var consent = (await trader.Titles.SignPledgeConsentAsync(ConsentTo(bankA, title), trader.Write)).Consent;
        await bankA.Titles.PledgeAsync(PledgeWith(consent, reference), bankA.Write);
        await bankB.SyncedToHeadAsync(fixture);
        var rival = (await trader.Titles.SignPledgeConsentAsync(ConsentTo(bankB, title), trader.Write)).Consent;
        await Assert.ThrowsAsync<RpcException>(() => bankB.Titles.PledgeAsync(PledgeWith(rival, reference), bankB.Write).ResponseAsync);

        await bankB.SyncedToHeadAsync(fixture);
        var events = (await bankB.Titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = title }, bankB.Read)).Events;
        var granted = events.Single(e => e.Pledged is not null).Pledged.FinancingReferenceHash.ToByteArray();
        var refused = events.Single(e => e.PledgeBlocked is not null).PledgeBlocked.FinancingReferenceHash.ToByteArray();
        var plainKeccak = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(reference));

        Assert.NotEqual(plainKeccak, granted);
        Assert.NotEqual(plainKeccak, refused);
        Assert.NotEqual(granted, refused); // each bank commits under its own key
        var keyFile = bankA.Services.GetRequiredService<FinancingCommitments>().KeyFile;
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        var key = Convert.FromHexString(File.ReadAllText(keyFile).Trim());
        Assert.Equal(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(reference)), granted);
    }
}
