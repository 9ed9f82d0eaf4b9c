using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OffshoreLedger.Contracts.Bindings;

// Typed view calls and their outputs.

[Function("memberOf", typeof(MemberOutput))]
public sealed class MemberOfFunction : FunctionMessage
{
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

[FunctionOutput]
public sealed class MemberOutput : IFunctionOutputDTO
{
    [Parameter("uint32", "index", 1)] public uint Index { get; set; }
    [Parameter("uint8", "roles", 2)] public byte Roles { get; set; }
    [Parameter("bool", "active", 3)] public bool Active { get; set; }
    [Parameter("bytes32", "organisation", 4)] public byte[] Organisation { get; set; } = new byte[32];
}

[Function("memberAt", "address")]
public sealed class MemberAtFunction : FunctionMessage
{
    [Parameter("uint32", "index", 1)] public uint Index { get; set; }
}

[Function("memberCount", "uint32")]
public sealed class MemberCountFunction : FunctionMessage;

[Function("isAdmin", "bool")]
public sealed class IsAdminFunction : FunctionMessage
{
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

[Function("governance", typeof(GovernanceOutput))]
public sealed class GovernanceFunction : FunctionMessage;

[FunctionOutput]
public sealed class GovernanceOutput : IFunctionOutputDTO
{
    [Parameter("uint32", "adminCount", 1)] public uint AdminCount { get; set; }
    [Parameter("uint32", "threshold", 2)] public uint Threshold { get; set; }
    [Parameter("uint32", "adminEpoch", 3)] public uint AdminEpoch { get; set; }
    [Parameter("uint64", "proposalCount", 4)] public ulong ProposalCount { get; set; }
}

[Function("hasApproved", "bool")]
public sealed class HasApprovedFunction : FunctionMessage
{
    [Parameter("uint64", "proposalId", 1)] public ulong ProposalId { get; set; }
    [Parameter("address", "admin", 2)] public string Admin { get; set; } = "";
}

[Function("titleOf", typeof(TitleOutput))]
public sealed class TitleOfFunction : FunctionMessage
{
    [Parameter("uint64", "titleId", 1)] public ulong TitleId { get; set; }
}

[FunctionOutput]
public sealed class TitleOutput : IFunctionOutputDTO
{
    [Parameter("uint8", "status", 1)] public byte Status { get; set; }
    [Parameter("address", "holder", 2)] public string Holder { get; set; } = "";
    [Parameter("bytes32", "lotKey", 3)] public byte[] LotKey { get; set; } = new byte[32];
    [Parameter("uint64", "quantity", 4)] public ulong Quantity { get; set; }
    [Parameter("uint48", "pledgeId", 5)] public ulong PledgeId { get; set; }
    [Parameter("address", "pledgee", 6)] public string Pledgee { get; set; } = "";
    [Parameter("uint40", "pledgeExpiry", 7)] public ulong PledgeExpiry { get; set; }
}

[Function("keyState", typeof(KeyStateOutput))]
public sealed class KeyStateFunction : FunctionMessage
{
    [Parameter("bytes32", "key", 1)] public byte[] Key { get; set; } = new byte[32];
}

[FunctionOutput]
public sealed class KeyStateOutput : IFunctionOutputDTO
{
    [Parameter("uint64", "titleId", 1)] public ulong TitleId { get; set; }
    [Parameter("uint8", "titleStatus", 2)] public byte TitleStatus { get; set; }
    [Parameter("uint48", "pledgeId", 3)] public ulong PledgeId { get; set; }
    [Parameter("address", "pledgee", 4)] public string Pledgee { get; set; } = "";
    [Parameter("uint40", "pledgeExpiry", 5)] public ulong PledgeExpiry { get; set; }
}

[Function("lotOf", typeof(LotOutput))]
public sealed class LotOfFunction : FunctionMessage
{
    [Parameter("bytes32", "lotKey", 1)] public byte[] LotKey { get; set; } = new byte[32];
}

[FunctionOutput]
public sealed class LotOutput : IFunctionOutputDTO
{
    [Parameter("uint32", "index", 1)] public uint Index { get; set; }
    [Parameter("bool", "attested", 2)] public bool Attested { get; set; }
    [Parameter("bool", "overIssued", 3)] public bool OverIssued { get; set; }
    [Parameter("bytes8", "unit", 4)] public byte[] Unit { get; set; } = new byte[8];
    [Parameter("uint64", "attestedQuantity", 5)] public ulong AttestedQuantity { get; set; }
    [Parameter("uint64", "liveQuantity", 6)] public ulong LiveQuantity { get; set; }
    [Parameter("address", "port", 7)] public string Port { get; set; } = "";
    [Parameter("uint40", "loadedAt", 8)] public ulong LoadedAt { get; set; }
    [Parameter("bytes32", "documentHash", 9)] public byte[] DocumentHash { get; set; } = new byte[32];
}

[Function("lotKeyAt", "bytes32")]
public sealed class LotKeyAtFunction : FunctionMessage
{
    [Parameter("uint32", "index", 1)] public uint Index { get; set; }
}

[Function("counts", typeof(CountsOutput))]
public sealed class CountsFunction : FunctionMessage;

[FunctionOutput]
public sealed class CountsOutput : IFunctionOutputDTO
{
    [Parameter("uint64", "titles", 1)] public ulong Titles { get; set; }
    [Parameter("uint48", "pledges", 2)] public ulong Pledges { get; set; }
    [Parameter("uint32", "lots", 3)] public uint Lots { get; set; }
}

/// <summary>When <see cref="Submitter"/> anchored <see cref="Root"/> with <see cref="LeafCount"/> leaves (zeros if it did not).</summary>
[Function("anchorOf", typeof(AnchorOutput))]
public sealed class AnchorOfFunction : FunctionMessage
{
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = new byte[32];
    [Parameter("uint32", "leafCount", 2)] public uint LeafCount { get; set; }
    [Parameter("address", "submitter", 3)] public string Submitter { get; set; } = "";
}

[FunctionOutput]
public sealed class AnchorOutput : IFunctionOutputDTO
{
    [Parameter("uint40", "anchoredAt", 1)] public ulong AnchoredAt { get; set; }
    [Parameter("uint64", "blockNumber", 2)] public ulong BlockNumber { get; set; }
}

[Function("carrierOf", "address")]
public sealed class CarrierOfFunction : FunctionMessage
{
    [Parameter("bytes8", "code", 1)] public byte[] Code { get; set; } = new byte[8];
}

[Function("portOf", "address")]
public sealed class PortOfFunction : FunctionMessage
{
    [Parameter("bytes8", "locode", 1)] public byte[] Locode { get; set; } = new byte[8];
}

/// <summary>Every lot a title books and its quantity on each.</summary>
[Function("titleLots", typeof(TitleLotsOutput))]
public sealed class TitleLotsFunction : FunctionMessage
{
    [Parameter("uint64", "titleId", 1)] public ulong TitleId { get; set; }
}

[FunctionOutput]
public sealed class TitleLotsOutput : IFunctionOutputDTO
{
    [Parameter("bytes32[]", "lotKeys", 1)] public List<byte[]> LotKeys { get; set; } = [];
    [Parameter("uint64[]", "quantities", 2)] public List<ulong> Quantities { get; set; } = [];
}

[Function("lotPortOfLoading", "bytes8")]
public sealed class LotPortOfLoadingFunction : FunctionMessage
{
    [Parameter("bytes32", "lotKey", 1)] public byte[] LotKey { get; set; } = new byte[32];
}

[Function("proposal", typeof(ProposalOutput))]
public sealed class ProposalFunction : FunctionMessage
{
    [Parameter("uint64", "proposalId", 1)] public ulong ProposalId { get; set; }
}

[FunctionOutput]
public sealed class ProposalOutput : IFunctionOutputDTO
{
    [Parameter("tuple", "", 1)] public ProposalStruct Proposal { get; set; } = new();
}

/// <summary>The <c>Consortium.Proposal</c> struct.</summary>
public sealed class ProposalStruct
{
    [Parameter("uint8", "kind", 1)] public byte Kind { get; set; }
    [Parameter("uint8", "roles", 2)] public byte Roles { get; set; }
    [Parameter("bool", "executed", 3)] public bool Executed { get; set; }
    [Parameter("uint32", "approvals", 4)] public uint Approvals { get; set; }
    [Parameter("uint32", "adminEpoch", 5)] public uint AdminEpoch { get; set; }
    [Parameter("uint32", "threshold", 6)] public uint Threshold { get; set; }
    /// <summary>Approvals are refused after it (Unix seconds).</summary>
    [Parameter("uint40", "deadline", 7)] public ulong Deadline { get; set; }
    /// <summary>Time-locked kinds: when it may execute; 0 until its approvals reach the threshold.</summary>
    [Parameter("uint40", "executableAt", 8)] public ulong ExecutableAt { get; set; }
    [Parameter("address", "subject", 9)] public string Subject { get; set; } = "";
    [Parameter("address", "proposer", 10)] public string Proposer { get; set; } = "";
    /// <summary>The organisation; a carrier or port code (8 bytes, left-aligned); or a lot key.</summary>
    [Parameter("bytes32", "organisation", 11)] public byte[] Organisation { get; set; } = new byte[32];
    /// <summary>A key rotation's new address.</summary>
    [Parameter("address", "account", 12)] public string Account { get; set; } = "";
    /// <summary>A corrected quantity, a title id to void, or 1 for a re-enrolment that keeps the member's titles.</summary>
    [Parameter("uint64", "amount", 13)] public ulong Amount { get; set; }
}

[Function("proposalName", typeof(ProposalNameOutput))]
public sealed class ProposalNameFunction : FunctionMessage
{
    [Parameter("uint64", "proposalId", 1)] public ulong ProposalId { get; set; }
}

/// <summary>The display name and LEI an enrolment, re-enrolment or update proposes (empty for other kinds).</summary>
[FunctionOutput]
public sealed class ProposalNameOutput : IFunctionOutputDTO
{
    [Parameter("string", "name", 1)] public string Name { get; set; } = "";
    [Parameter("string", "lei", 2)] public string Lei { get; set; } = "";
}

[Function("consentNonce", "uint64")]
public sealed class ConsentNonceFunction : FunctionMessage
{
    [Parameter("address", "member", 1)] public string Member { get; set; } = "";
}

[Function("pledgeTerms", typeof(PledgeTermsOutput))]
public sealed class PledgeTermsFunction : FunctionMessage;

[FunctionOutput]
public sealed class PledgeTermsOutput : IFunctionOutputDTO
{
    [Parameter("uint32", "maxPledgeTerm", 1)] public uint MaxPledgeTerm { get; set; }
    [Parameter("uint32", "contestPeriod", 2)] public uint ContestPeriod { get; set; }
}

[Function("enforceableAt", "uint40")]
public sealed class EnforceableAtFunction : FunctionMessage
{
    [Parameter("uint48", "pledgeId", 1)] public ulong PledgeId { get; set; }
}

[Function("pledgeConsentDigest", "bytes32")]
public sealed class PledgeConsentDigestFunction : FunctionMessage
{
    [Parameter("address", "bank", 1)] public string Bank { get; set; } = "";
    [Parameter("uint64[]", "titleIds", 2)] public List<ulong> TitleIds { get; set; } = [];
    [Parameter("bytes32[]", "keys", 3)] public List<byte[]> Keys { get; set; } = [];
    [Parameter("bytes32", "financingCommitment", 4)] public byte[] FinancingCommitment { get; set; } = new byte[32];
    [Parameter("uint40", "expiry", 5)] public ulong Expiry { get; set; }
    [Parameter("uint64", "nonce", 6)] public ulong ConsentNonce { get; set; }
    [Parameter("uint40", "deadline", 7)] public ulong Deadline { get; set; }
}

[Function("consentNonceUsed", "bool")]
public sealed class ConsentNonceUsedFunction : FunctionMessage
{
    [Parameter("address", "member", 1)] public string Member { get; set; } = "";
    [Parameter("uint64", "nonce", 2)] public ulong ConsentNonce { get; set; }
}
