using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Contracts.Consent;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Titles;

/// <summary>
/// The organisation's EIP-712 consents: signs them with its member key (the holder's node) and checks the ones a bank's
/// node is handed before spending gas on them. The domain is this node's chain and contract.
/// </summary>
public sealed class PledgeConsents(OrganisationIdentity identity, LedgerChain chain)
{
    public ConsentDomain Domain { get; } = new(identity.Account.ChainId!.Value, chain.Options.ContractAddress!);

    private readonly Lock _nonceLock = new();
    private ulong? _lastIssued;

    public string Member => Hex.Address(identity.Address);

    /// <summary>
    /// A nonce no consent this node signed since it started carries, given the chain's lowest unused one: consents
    /// signed together stay independent (each usable in any order). After a restart it starts again at the chain's,
    /// so a consent signed before and still unused may share its nonce with a new one: they become alternatives.
    /// (The contract voids a consent once a nonce 128 above it is used: sign at most that many to be used together.)
    /// </summary>
    public ulong NextNonce(ulong chainLowestUnused)
    {
        lock (_nonceLock)
        {
            var next = _lastIssued is { } last && last + 1 > chainLowestUnused ? last + 1 : chainLowestUnused;
            _lastIssued = next;
            return next;
        }
    }

    public Api.V1.PledgeConsent Sign(PledgeConsentTerms terms)
    {
        var signature = PledgeConsent.Sign(PledgeConsent.Digest(terms, Domain), identity.Account.PrivateKey);
        return ToProto(terms, Member, signature, Domain);
    }

    /// <summary>
    /// The terms of a consent handed to this bank's node, checked field by field against this node's bank, chain and
    /// contract, and its signature against its borrower: a wrong one is CONSENT_INVALID naming the field, a lapsed one
    /// CONSENT_EXPIRED. What only the chain knows (the holder, the nonce) the contract checks.
    /// </summary>
    public PledgeConsentTerms Accept(Api.V1.PledgeConsent consent, DateTimeOffset now)
    {
        var check = new RequestCheck();
        check.Address(consent.Borrower, "consent.borrower");
        check.Address(consent.Bank, "consent.bank");
        check.Keys(consent.Keys, "consent.keys");
        if (consent.TitleIds.Count + consent.Keys.Count == 0) check.Add("consent.title_ids", "the consent names no title or key");
        if (consent.TitleIds.Count + consent.Keys.Count > RequestCheck.MaxKeys) check.Add(
            "consent.keys", $"at most {RequestCheck.MaxKeys} titles and keys");
        if (consent.FinancingCommitment.Length is not (0 or 32)) check.Add("consent.financing_commitment", "empty, or 32 bytes");
        var expiresAt = check.Time(consent.ExpiresAt, "consent.expires_at", required: true);
        var deadline = check.Time(consent.Deadline, "consent.deadline", required: true);
        if (consent.Signature.Length != 65) check.Add("consent.signature", $"must be 65 bytes (r, s, v), got {consent.Signature.Length}");
        check.ThrowIfAny();

        if (!string.Equals(consent.Bank, Member, StringComparison.OrdinalIgnoreCase))
        {
            throw RpcErrors.ConsentInvalid("consent.bank", $"the consent is for bank {consent.Bank}, not this node's bank {Member}");
        }
        if (consent.ChainId != Domain.ChainId || !string.Equals(consent.Contract, Domain.Contract, StringComparison.OrdinalIgnoreCase))
        {
            throw RpcErrors.ConsentInvalid(
                "consent.contract",
                $"signed for chain {consent.ChainId} contract {consent.Contract}, not chain {Domain.ChainId} contract {Domain.Contract}");
        }
        if (deadline!.Value < now) throw RpcErrors.ConsentExpired(deadline.Value);

        var terms = new PledgeConsentTerms(
            Hex.Address(consent.Bank), [.. consent.TitleIds], [.. consent.Keys.Select(k => k.ToByteArray())],
            consent.FinancingCommitment.Length == 0 ? new byte[32] : consent.FinancingCommitment.ToByteArray(),
            (ulong)expiresAt!.Value.ToUnixTimeSeconds(), consent.Nonce, (ulong)deadline.Value.ToUnixTimeSeconds());
        var signer = PledgeConsent.Recover(PledgeConsent.Digest(terms, Domain), consent.Signature.ToByteArray());
        if (!string.Equals(signer, consent.Borrower, StringComparison.OrdinalIgnoreCase))
        {
            throw RpcErrors.ConsentInvalid("consent.signature", $"not {consent.Borrower}'s signature over these terms");
        }
        return terms;
    }

    public static Api.V1.PledgeConsent ToProto(PledgeConsentTerms terms, string borrower, byte[] signature, ConsentDomain domain) => new()
    {
        Borrower = borrower,
        Bank = Hex.Address(terms.Bank),
        TitleIds = { terms.TitleIds },
        Keys = { terms.Keys.Select(ByteString.CopyFrom) },
        FinancingCommitment = terms.FinancingCommitment.All(b => b == 0)
            ? ByteString.Empty : ByteString.CopyFrom(terms.FinancingCommitment),
        ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds((long)terms.Expiry)),
        Nonce = terms.Nonce,
        Deadline = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds((long)terms.Deadline)),
        Signature = ByteString.CopyFrom(signature),
        ChainId = (ulong)domain.ChainId,
        Contract = Hex.Address(domain.Contract),
    };
}
