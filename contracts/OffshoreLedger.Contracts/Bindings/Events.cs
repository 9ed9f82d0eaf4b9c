using Nethereum.ABI.FunctionEncoding.Attributes;

namespace OffshoreLedger.Contracts.Bindings;

// Typed events. Together they carry every state change, so the whole ledger can be rebuilt from logs.

[Event("AdminAdded")]
public sealed class AdminAddedEvent : IEventDTO
{
    [Parameter("address", "admin", 1, true)] public string Admin { get; set; } = "";
}

[Event("AdminRemoved")]
public sealed class AdminRemovedEvent : IEventDTO
{
    [Parameter("address", "admin", 1, true)] public string Admin { get; set; } = "";
}

[Event("ThresholdChanged")]
public sealed class ThresholdChangedEvent : IEventDTO
{
    [Parameter("uint32", "threshold", 1, false)] public uint Threshold { get; set; }
}

[Event("ProposalCreated")]
public sealed class ProposalCreatedEvent : IEventDTO
{
    [Parameter("uint64", "proposalId", 1, true)] public ulong ProposalId { get; set; }
    [Parameter("address", "proposer", 2, true)] public string Proposer { get; set; } = "";
    [Parameter("uint8", "kind", 3, false)] public byte Kind { get; set; }
    [Parameter("address", "subject", 4, false)] public string Subject { get; set; } = "";
    [Parameter("uint8", "roles", 5, false)] public byte Roles { get; set; }
    [Parameter("bytes32", "organisation", 6, false)] public byte[] Organisation { get; set; } = new byte[32];
    [Parameter("uint32", "threshold", 7, false)] public uint Threshold { get; set; }
    [Parameter("address", "account", 8, false)] public string Account { get; set; } = "";
    [Parameter("uint64", "amount", 9, false)] public ulong Amount { get; set; }
    [Parameter("uint40", "deadline", 10, false)] public ulong Deadline { get; set; }
}

[Event("ProposalApprovalWithdrawn")]
public sealed class ProposalApprovalWithdrawnEvent : IEventDTO
{
    [Parameter("uint64", "proposalId", 1, true)] public ulong ProposalId { get; set; }
    [Parameter("address", "admin", 2, true)] public string Admin { get; set; } = "";
    [Parameter("uint32", "approvals", 3, false)] public uint Approvals { get; set; }
}

/// <summary>A time-locked proposal reached its threshold; it may execute from <see cref="ExecutableAt"/>.</summary>
[Event("ProposalQueued")]
public sealed class ProposalQueuedEvent : IEventDTO
{
    [Parameter("uint64", "proposalId", 1, true)] public ulong ProposalId { get; set; }
    [Parameter("uint40", "executableAt", 2, false)] public ulong ExecutableAt { get; set; }
}

[Event("ProposalApproved")]
public sealed class ProposalApprovedEvent : IEventDTO
{
    [Parameter("uint64", "proposalId", 1, true)] public ulong ProposalId { get; set; }
    [Parameter("address", "admin", 2, true)] public string Admin { get; set; } = "";
    [Parameter("uint32", "approvals", 3, false)] public uint Approvals { get; set; }
}

[Event("ProposalExecuted")]
public sealed class ProposalExecutedEvent : IEventDTO
{
    [Parameter("uint64", "proposalId", 1, true)] public ulong ProposalId { get; set; }
}

[Event("MemberEnrolled")]
public sealed class MemberEnrolledEvent : IEventDTO
{
    [Parameter("address", "member", 1, true)] public string Member { get; set; } = "";
    [Parameter("uint32", "index", 2, false)] public uint Index { get; set; }
    [Parameter("uint8", "roles", 3, false)] public byte Roles { get; set; }
    [Parameter("bytes32", "organisation", 4, false)] public byte[] Organisation { get; set; } = new byte[32];
}

[Event("MemberUpdated")]
public sealed class MemberUpdatedEvent : IEventDTO
{
    [Parameter("address", "member", 1, true)] public string Member { get; set; } = "";
    [Parameter("uint8", "roles", 2, false)] public byte Roles { get; set; }
    [Parameter("bytes32", "organisation", 3, false)] public byte[] Organisation { get; set; } = new byte[32];
}

/// <summary>A member's display name and LEI as the executed proposal set them (its organisation id is keccak-256 of the name).</summary>
[Event("MemberNamed")]
public sealed class MemberNamedEvent : IEventDTO
{
    [Parameter("address", "member", 1, true)] public string Member { get; set; } = "";
    [Parameter("string", "name", 2, false)] public string Name { get; set; } = "";
    [Parameter("string", "lei", 3, false)] public string Lei { get; set; } = "";
}

[Event("MemberRemoved")]
public sealed class MemberRemovedEvent : IEventDTO
{
    [Parameter("address", "member", 1, true)] public string Member { get; set; } = "";
}

/// <summary>A former member enrolled again, keeping its index (and titles) or under a new one (old titles frozen).</summary>
[Event("MemberReenrolled")]
public sealed class MemberReenrolledEvent : IEventDTO
{
    [Parameter("address", "member", 1, true)] public string Member { get; set; } = "";
    [Parameter("uint32", "oldIndex", 2, false)] public uint OldIndex { get; set; }
    [Parameter("uint32", "newIndex", 3, false)] public uint NewIndex { get; set; }
    [Parameter("bool", "keptTitles", 4, false)] public bool KeptTitles { get; set; }
}

[Event("MemberKeyRotated")]
public sealed class MemberKeyRotatedEvent : IEventDTO
{
    [Parameter("address", "oldAccount", 1, true)] public string OldAccount { get; set; } = "";
    [Parameter("address", "newAccount", 2, true)] public string NewAccount { get; set; } = "";
    [Parameter("uint32", "index", 3, false)] public uint Index { get; set; }
}

/// <summary>A carrier code bound to a member; the zero address: unbound.</summary>
[Event("CarrierCodeBound")]
public sealed class CarrierCodeBoundEvent : IEventDTO
{
    [Parameter("bytes8", "code", 1, true)] public byte[] Code { get; set; } = new byte[8];
    [Parameter("address", "carrier", 2, true)] public string Carrier { get; set; } = "";
}

/// <summary>A UN/LOCODE bound to a port member; the zero address: unbound.</summary>
[Event("PortCodeBound")]
public sealed class PortCodeBoundEvent : IEventDTO
{
    [Parameter("bytes8", "locode", 1, true)] public byte[] Locode { get; set; } = new byte[8];
    [Parameter("address", "port", 2, true)] public string Port { get; set; } = "";
}

/// <summary>
/// A title issued by <see cref="Issuer"/>, the carrier member bound to <see cref="CarrierCode"/> (it sent the transaction,
/// or <see cref="CarrierSigned"/>: the holder sent it with the carrier's signature). It books <see cref="Quantities"/>[i]
/// on <see cref="LotKeys"/>[i]; <see cref="Keys"/>[0] is the B/L's own key.
/// </summary>
[Event("TitleRegistered")]
public sealed class TitleRegisteredEvent : IEventDTO
{
    [Parameter("uint64", "titleId", 1, true)] public ulong TitleId { get; set; }
    [Parameter("address", "holder", 2, true)] public string Holder { get; set; } = "";
    [Parameter("address", "issuer", 3, true)] public string Issuer { get; set; } = "";
    [Parameter("bytes8", "carrierCode", 4, false)] public byte[] CarrierCode { get; set; } = new byte[8];
    [Parameter("bool", "carrierSigned", 5, false)] public bool CarrierSigned { get; set; }
    [Parameter("bytes8", "unit", 6, false)] public byte[] Unit { get; set; } = new byte[8];
    [Parameter("bytes32[]", "lotKeys", 7, false)] public List<byte[]> LotKeys { get; set; } = [];
    [Parameter("uint64[]", "quantities", 8, false)] public List<ulong> Quantities { get; set; } = [];
    [Parameter("bytes32[]", "keys", 9, false)] public List<byte[]> Keys { get; set; } = [];
}

[Event("TitleTransferred")]
public sealed class TitleTransferredEvent : IEventDTO
{
    [Parameter("uint64", "titleId", 1, true)] public ulong TitleId { get; set; }
    [Parameter("address", "from", 2, true)] public string From { get; set; } = "";
    [Parameter("address", "to", 3, true)] public string To { get; set; } = "";
    [Parameter("address", "by", 4, false)] public string By { get; set; } = "";
}

[Event("TitleSurrendered")]
public sealed class TitleSurrenderedEvent : IEventDTO
{
    [Parameter("uint64", "titleId", 1, true)] public ulong TitleId { get; set; }
    [Parameter("address", "by", 2, true)] public string By { get; set; } = "";
    [Parameter("uint48", "pledgeId", 3, false)] public ulong PledgeId { get; set; }
}

[Event("Pledged")]
public sealed class PledgedEvent : IEventDTO
{
    [Parameter("uint48", "pledgeId", 1, true)] public ulong PledgeId { get; set; }
    [Parameter("address", "pledgee", 2, true)] public string Pledgee { get; set; } = "";
    [Parameter("address", "borrower", 3, true)] public string Borrower { get; set; } = "";
    [Parameter("bytes32", "financingReference", 4, false)] public byte[] FinancingReference { get; set; } = new byte[32];
    [Parameter("uint40", "expiry", 5, false)] public ulong Expiry { get; set; }
    [Parameter("uint64[]", "titleIds", 6, false)] public List<ulong> TitleIds { get; set; } = [];
    [Parameter("bytes32[]", "keys", 7, false)] public List<byte[]> Keys { get; set; } = [];
}

[Event("PledgeBlocked")]
public sealed class PledgeBlockedEvent : IEventDTO
{
    [Parameter("address", "bank", 1, true)] public string Bank { get; set; } = "";
    [Parameter("uint48", "conflictingPledgeId", 2, true)] public ulong ConflictingPledgeId { get; set; }
    [Parameter("address", "borrower", 3, true)] public string Borrower { get; set; } = "";
    [Parameter("bytes32", "financingReference", 4, false)] public byte[] FinancingReference { get; set; } = new byte[32];
    [Parameter("uint64[]", "titleIds", 5, false)] public List<ulong> TitleIds { get; set; } = [];
    [Parameter("bytes32[]", "keys", 6, false)] public List<byte[]> Keys { get; set; } = [];
}

[Event("Released")]
public sealed class ReleasedEvent : IEventDTO
{
    [Parameter("uint48", "pledgeId", 1, true)] public ulong PledgeId { get; set; }
    [Parameter("address", "by", 2, true)] public string By { get; set; } = "";
    [Parameter("uint64[]", "titleIds", 3, false)] public List<ulong> TitleIds { get; set; } = [];
    [Parameter("bytes32[]", "keys", 4, false)] public List<byte[]> Keys { get; set; } = [];
}

[Event("LoadingAttested")]
public sealed class LoadingAttestedEvent : IEventDTO
{
    [Parameter("bytes32", "lotKey", 1, true)] public byte[] LotKey { get; set; } = new byte[32];
    [Parameter("address", "port", 2, true)] public string Port { get; set; } = "";
    [Parameter("bytes8", "locode", 3, false)] public byte[] Locode { get; set; } = new byte[8];
    [Parameter("uint64", "quantity", 4, false)] public ulong Quantity { get; set; }
    [Parameter("bytes8", "unit", 5, false)] public byte[] Unit { get; set; } = new byte[8];
    [Parameter("uint40", "loadedAt", 6, false)] public ulong LoadedAt { get; set; }
    [Parameter("bytes32", "documentHash", 7, false)] public byte[] DocumentHash { get; set; } = new byte[32];
}

[Event("LotOverIssued")]
public sealed class LotOverIssuedEvent : IEventDTO
{
    [Parameter("bytes32", "lotKey", 1, true)] public byte[] LotKey { get; set; } = new byte[32];
    [Parameter("uint64", "attestedQuantity", 2, false)] public ulong AttestedQuantity { get; set; }
    [Parameter("uint64", "liveQuantity", 3, false)] public ulong LiveQuantity { get; set; }
}

[Event("Anchored")]
public sealed class AnchoredEvent : IEventDTO
{
    [Parameter("bytes32", "root", 1, true)] public byte[] Root { get; set; } = new byte[32];
    [Parameter("address", "submitter", 2, true)] public string Submitter { get; set; } = "";
    [Parameter("uint32", "leafCount", 3, false)] public uint LeafCount { get; set; }
    [Parameter("uint40", "anchoredAt", 4, false)] public ulong AnchoredAt { get; set; }
}

/// <summary>An expired lock released because a pledge or registration now covers it; <c>TitleId</c> 0 for a free key's own lock.</summary>
[Event("ExpiredLockReleased")]
public sealed class ExpiredLockReleasedEvent : IEventDTO
{
    [Parameter("uint48", "pledgeId", 1, true)] public ulong PledgeId { get; set; }
    [Parameter("uint64", "titleId", 2, true)] public ulong TitleId { get; set; }
    [Parameter("bytes32", "key", 3, false)] public byte[] Key { get; set; } = new byte[32];
}

[Event("DefaultDeclared")]
public sealed class DefaultDeclaredEvent : IEventDTO
{
    [Parameter("uint48", "pledgeId", 1, true)] public ulong PledgeId { get; set; }
    [Parameter("address", "pledgee", 2, true)] public string Pledgee { get; set; } = "";
    [Parameter("uint40", "enforceableAt", 3, false)] public ulong EnforceableAt { get; set; }
}

[Event("DefaultContested")]
public sealed class DefaultContestedEvent : IEventDTO
{
    [Parameter("uint48", "pledgeId", 1, true)] public ulong PledgeId { get; set; }
    [Parameter("address", "borrower", 2, true)] public string Borrower { get; set; } = "";
}

[Event("PledgeTermsChanged")]
public sealed class PledgeTermsChangedEvent : IEventDTO
{
    [Parameter("uint32", "maxPledgeTerm", 1, false)] public uint MaxPledgeTerm { get; set; }
    [Parameter("uint32", "contestPeriod", 2, false)] public uint ContestPeriod { get; set; }
}

[Event("ConsentRevoked")]
public sealed class ConsentRevokedEvent : IEventDTO
{
    [Parameter("address", "member", 1, true)] public string Member { get; set; } = "";
    [Parameter("uint64", "nonce", 2, false)] public ulong Nonce { get; set; }
}

/// <summary>A carrier's title took a key pledged as a free key: the issuance wins and the lock ends.</summary>
[Event("KeyLockSuperseded")]
public sealed class KeyLockSupersededEvent : IEventDTO
{
    [Parameter("uint48", "pledgeId", 1, true)] public ulong PledgeId { get; set; }
    [Parameter("uint64", "titleId", 2, true)] public ulong TitleId { get; set; }
    [Parameter("bytes32", "key", 3, false)] public byte[] Key { get; set; } = new byte[32];
}

/// <summary>A governed correction of a lot's attested quantity (0: attestation annulled).</summary>
[Event("AttestationCorrected")]
public sealed class AttestationCorrectedEvent : IEventDTO
{
    [Parameter("bytes32", "lotKey", 1, true)] public byte[] LotKey { get; set; } = new byte[32];
    [Parameter("uint64", "proposalId", 2, true)] public ulong ProposalId { get; set; }
    [Parameter("uint64", "oldQuantity", 3, false)] public ulong OldQuantity { get; set; }
    [Parameter("uint64", "newQuantity", 4, false)] public ulong NewQuantity { get; set; }
}

[Event("OverIssueCleared")]
public sealed class OverIssueClearedEvent : IEventDTO
{
    [Parameter("bytes32", "lotKey", 1, true)] public byte[] LotKey { get; set; } = new byte[32];
    [Parameter("uint64", "proposalId", 2, true)] public ulong ProposalId { get; set; }
    [Parameter("uint64", "attestedQuantity", 3, false)] public ulong AttestedQuantity { get; set; }
    [Parameter("uint64", "liveQuantity", 4, false)] public ulong LiveQuantity { get; set; }
}

/// <summary>A title voided by governance: its lock (<see cref="PledgeId"/>, if any) ended and its keys are free again.</summary>
[Event("TitleVoided")]
public sealed class TitleVoidedEvent : IEventDTO
{
    [Parameter("uint64", "titleId", 1, true)] public ulong TitleId { get; set; }
    [Parameter("uint64", "proposalId", 2, true)] public ulong ProposalId { get; set; }
    [Parameter("uint48", "pledgeId", 3, false)] public ulong PledgeId { get; set; }
}
