using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Consent;
using ConsentSigning = OffshoreLedger.Contracts.Consent.PledgeConsent;
using OffshoreLedger.Node.Titles;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// The borrower's consent for a test's pledge, signed with the borrower's development key exactly as its node's
/// SignPledgeConsent would (tests of that RPC itself use it through a running holder node).
/// </summary>
public static class TestConsents
{
    // Keyed by chain too: every fixture's chain deploys the contract at the same address, and collections run in parallel.
    private static readonly ConcurrentDictionary<(string Chain, string Contract, string Borrower), ulong> LastIssued = new();

    /// <summary>
    /// Adds to <paramref name="request"/> the consent of <paramref name="borrower"/> (by default the holder of its first
    /// title, else the trader) for <paramref name="bankAddress"/>, naming the same titles, keys (documents' keys as the
    /// bank's node derives them) and expiry.
    /// </summary>
    public static async Task<PledgeRequest> ConsentedAsync(
        this PledgeRequest request, ConsortiumFixture fixture, string bankAddress, IReadOnlyList<byte[]>? documentKeys = null,
        string? borrower = null,
        DateTimeOffset? deadline = null)
    {
        var ledger = new LedgerContract(fixture.Chain.Web3For(0), fixture.Consortium.ContractAddress);
        borrower ??= await HolderOrTraderAsync(fixture, ledger, request);
        var expiry = (ulong)request.ExpiresAt.Seconds;
        request.ExpiresAt = new Timestamp { Seconds = (long)expiry };
        var keys = request.Keys.Select(k => k.ToByteArray()).Concat(documentKeys ?? []).ToList();
        var terms = new PledgeConsentTerms(
            bankAddress, [.. request.TitleIds], keys, new byte[32], expiry, await NextNonceAsync(fixture, ledger, borrower),
            (ulong)(deadline ?? DateTimeOffset.UtcNow.AddHours(1)).ToUnixTimeSeconds());
        var domain = Domain(fixture);
        var key = fixture.Chain.Accounts.Single(a => string.Equals(a.Address, borrower, StringComparison.OrdinalIgnoreCase)).PrivateKey;
        request.Consent = PledgeConsents.ToProto(terms, borrower, ConsentSigning.Sign(ConsentSigning.Digest(terms, domain), key), domain);
        return request;
    }

    public static Task<PledgeRequest> ConsentedAsync(
        this PledgeRequest request, ConsortiumFixture fixture, RunningNode bank, IReadOnlyList<byte[]>? documentKeys = null,
        string? borrower = null) =>
        request.ConsentedAsync(fixture, bank.Address, documentKeys, borrower);

    public static ConsentDomain Domain(ConsortiumFixture fixture) => new(fixture.Chain.ChainId, fixture.Consortium.ContractAddress);

    /// <summary>An unused nonce, distinct from every other this process signed for the borrower (so consents stay independent).</summary>
    private static async Task<ulong> NextNonceAsync(ConsortiumFixture fixture, LedgerContract ledger, string borrower)
    {
        var lowest = await ledger.QueryValueAsync<ConsentNonceFunction, ulong>(new() { Member = borrower });
        var key = (fixture.Chain.RpcUrl, fixture.Consortium.ContractAddress, borrower.ToLowerInvariant());
        while (true)
        {
            // Skip nonces a node's consents used above the lowest unused one.
            var candidate = LastIssued.AddOrUpdate(key, lowest, (_, last) => Math.Max(last + 1, lowest));
            if (!await ledger.QueryValueAsync<ConsentNonceUsedFunction, bool>(
                new() { Member = borrower, ConsentNonce = candidate })) return candidate;
        }
    }

    private static async Task<string> HolderOrTraderAsync(ConsortiumFixture fixture, LedgerContract ledger, PledgeRequest request)
    {
        foreach (var titleId in request.TitleIds)
        {
            var title = await ledger.QueryAsync<TitleOfFunction, TitleOutput>(new() { TitleId = titleId });
            if (title.Status != 0) return title.Holder;
        }
        foreach (var key in request.Keys)
        {
            var state = await ledger.QueryAsync<KeyStateFunction, KeyStateOutput>(new() { Key = key.ToByteArray() });
            if (state.TitleId != 0) return (await ledger.QueryAsync<TitleOfFunction, TitleOutput>(new() { TitleId = state.TitleId }))
                .Holder;
        }
        return fixture.Consortium.Member("trader").Address;
    }
}

/// <summary>Pledge requests as the tests make them: fresh request id and financing reference, 90 days.</summary>
public static class TestPledges
{
    public static PledgeRequest Of(IEnumerable<ulong> titleIds, params Google.Protobuf.ByteString[] keys) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        FinancingReference = "LOAN-" + Guid.NewGuid(),
        ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(90)),
        TitleIds = { titleIds },
        Keys = { keys },
    };
}
