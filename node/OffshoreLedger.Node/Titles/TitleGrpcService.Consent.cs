using CollateralKeyKind = OffshoreLedger.Client.Keys.CollateralKeyKind;
using ContractTitleStatus = OffshoreLedger.Contracts.Bindings.TitleStatus;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Consent;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Index;

namespace OffshoreLedger.Node.Titles;

public sealed partial class TitleGrpcService
{
    /// <summary>How long a consent stays usable when the caller names no deadline.</summary>
    private static readonly TimeSpan DefaultConsentDeadline = TimeSpan.FromDays(7);

    /// <summary>
    /// The holder's node signs its organisation's consent to one bank's pledge. Every field is checked (the bank is a
    /// BANK member, every title live and held by this organisation, free keys only for a TRADER, the expiry within the
    /// governed term) and the signed consent shows each back.
    /// </summary>
    public override async Task<SignPledgeConsentResponse> SignPledgeConsent(SignPledgeConsentRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.Address(request.Bank, "bank");
        check.Keys(request.Keys, "keys");
        var keys = request.Keys.Select(k => k.ToByteArray()).ToList();
        for (var i = 0; i < request.Documents.Count; i++)
        {
            var accepted = intake.Accept(request.Documents[i], $"documents[{i}]", check.Violations);
            if (accepted is not null) keys.AddRange(
                accepted.Keys.Where(k => k.Kind != CollateralKeyKind.ShipmentLot).Select(k => k.Value.ToArray()));
        }
        if (request.TitleIds.Count + keys.Count == 0) check.Add("title_ids", "consent to at least one title, key or document");
        if (request.TitleIds.Count + keys.Count > RequestCheck.MaxKeys) check.Add(
            "keys", $"at most {RequestCheck.MaxKeys} titles and keys in one pledge");
        for (var i = 0; i < request.TitleIds.Count; i++)
        {
            if (request.TitleIds[i] == 0) check.Add($"title_ids[{i}]", "title ids start at 1");
        }
        if (request.FinancingCommitment.Length != 0) check.Bytes32(request.FinancingCommitment, "financing_commitment");
        var now = time.GetUtcNow();
        var expiresAt = check.Time(request.ExpiresAt, "expires_at", required: true);
        if (expiresAt <= now) check.Add("expires_at", "must be in the future");
        var deadline = check.Time(request.Deadline, "deadline", required: false);
        if (deadline <= now) check.Add("deadline", "must be in the future");
        check.ThrowIfAny();

        var (maxTerm, lowestUnused) = await ChainConsentStateAsync(context.CancellationToken);
        if (expiresAt > now + maxTerm)
        {
            throw RpcErrors.InvalidArgument(
                [("expires_at", $"at most {maxTerm.TotalDays:0.##} days from now (the consortium's maximum pledge term)")]);
        }
        var synced = index.Read((ledger, s) =>
        {
            RequireConsentable(ledger, request, keys, consents.Member);
            return s;
        });

        var nonce = await UnusedNonceAsync(lowestUnused, context.CancellationToken);
        var lapses = deadline ?? now + DefaultConsentDeadline;
        if (lapses > expiresAt!.Value) lapses = expiresAt.Value;
        var terms = new PledgeConsentTerms(
            Hex.Address(request.Bank), [.. request.TitleIds], keys,
            request.FinancingCommitment.Length == 0 ? new byte[32] : request.FinancingCommitment.ToByteArray(),
            (ulong)expiresAt.Value.ToUnixTimeSeconds(), nonce, (ulong)lapses.ToUnixTimeSeconds());
        return new SignPledgeConsentResponse { Consent = consents.Sign(terms), AsOf = BlockStamps.Of(synced) };
    }

    /// <summary>
    /// A nonce for a new consent: the next this node has not handed out, skipping any the chain has seen used above its
    /// lowest unused one (consents used out of order, by this node before a restart or signed elsewhere with the key).
    /// </summary>
    private async Task<ulong> UnusedNonceAsync(ulong lowestUnused, CancellationToken cancellationToken)
    {
        for (var skipped = 0; ; skipped++)
        {
            var candidate = consents.NextNonce(lowestUnused);
            cancellationToken.ThrowIfCancellationRequested();
            var used = await chain.Contract.QueryValueAsync<ConsentNonceUsedFunction, bool>(
                new() { Member = consents.Member, ConsentNonce = candidate });
            if (!used || skipped >= 256) return candidate;
        }
    }

    /// <summary>
    /// The governed maximum term (from the index: the contract announces it at deployment and at every change; the
    /// chain is asked only before the index has seen it) and this member's next consent nonce, read at the chain's head.
    /// </summary>
    private async Task<(TimeSpan MaxTerm, ulong Nonce)> ChainConsentStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indexed = index.Read((ledger, _) => ledger.PledgeTerms.MaxPledgeTerm);
            var terms = indexed > 0 ? null : chain.Contract.QueryAsync<PledgeTermsFunction, PledgeTermsOutput>(new());
            var nonce = await chain.Contract.QueryValueAsync<ConsentNonceFunction, ulong>(new() { Member = consents.Member });
            return (TimeSpan.FromSeconds(terms is null ? indexed : (await terms).MaxPledgeTerm), nonce);
        }
        catch (Exception ex) when (LedgerChain.IsUnreachable(ex))
        {
            throw RpcErrors.Unavailable("The chain is not answering, so the consent's nonce cannot be read.");
        }
    }

    /// <summary>Refuses, as the contract would, a consent this organisation could not give.</summary>
    private static void RequireConsentable(LedgerProjection ledger, SignPledgeConsentRequest request, List<byte[]> keys, string member)
    {
        if (ledger.Member(request.Bank) is not { Active: true } bank || (bank.Roles & MemberRoles.Bank) == 0)
        {
            throw RpcErrors.InvalidArgument([("bank", $"{request.Bank} is not an active BANK member")]);
        }
        void RequireHeld(ulong titleId, string field)
        {
            var title = ledger.Title(titleId)
                ?? throw RpcErrors.NotFound(ErrorReason.TitleNotFound, $"{field}: title {titleId} is not in the index.");
            if (title.Status != ContractTitleStatus.Live) throw RpcErrors.Refused(
                "TitleNotLive", new Dictionary<string, string> { ["titleId"] = titleId.ToString() });
            if (title.Holder != member)
            {
                throw RpcErrors.Refused(
                    "NotHolder", new Dictionary<string, string> { ["titleId"] = titleId.ToString(), ["account"] = member });
            }
        }
        for (var i = 0; i < request.TitleIds.Count; i++) RequireHeld(request.TitleIds[i], $"title_ids[{i}]");
        for (var i = 0; i < keys.Count; i++)
        {
            if (ledger.TitleOfKey(Hex.Of(keys[i])) is { } titleId) RequireHeld(titleId, $"keys[{i}]");
            else if (ledger.Member(member) is not { } self || (self.Roles & MemberRoles.Trader) == 0)
            {
                throw RpcErrors.Refused(
                    "MissingRole",
                    new Dictionary<string, string> { ["account"] = member, ["required"] = ((byte)MemberRoles.Trader).ToString() });
            }
        }
    }
}
