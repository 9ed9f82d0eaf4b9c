using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OffshoreLedger.Contracts.Bindings;

// Typed transaction messages for every state-changing function of OffshoreLedger.sol.

[Function("proposeEnrolment", "uint64")]
public sealed class ProposeEnrolmentFunction : FunctionMessage
{
    [Parameter("address", "member", 1)] public string Member { get; set; } = "";
    [Parameter("uint8", "roles", 2)] public byte Roles { get; set; }
    [Parameter("bytes32", "organisation", 3)] public byte[] Organisation { get; set; } = new byte[32];
}

[Function("proposeMemberUpdate", "uint64")]
public sealed class ProposeMemberUpdateFunction : FunctionMessage
{
    [Parameter("address", "member", 1)] public string Member { get; set; } = "";
    [Parameter("uint8", "roles", 2)] public byte Roles { get; set; }
    [Parameter("bytes32", "organisation", 3)] public byte[] Organisation { get; set; } = new byte[32];
}

[Function("proposeRemoval", "uint64")]
public sealed class ProposeRemovalFunction : FunctionMessage
{
    [Parameter("address", "member", 1)] public string Member { get; set; } = "";
}

[Function("proposeAdminAddition", "uint64")]
public sealed class ProposeAdminAdditionFunction : FunctionMessage
{
    [Parameter("address", "admin", 1)] public string Admin { get; set; } = "";
}

[Function("proposeAdminRemoval", "uint64")]
public sealed class ProposeAdminRemovalFunction : FunctionMessage
{
    [Parameter("address", "admin", 1)] public string Admin { get; set; } = "";
}

[Function("proposeThreshold", "uint64")]
public sealed class ProposeThresholdFunction : FunctionMessage
{
    [Parameter("uint32", "threshold_", 1)] public uint Threshold { get; set; }
}

[Function("approve")]
public sealed class ApproveFunction : FunctionMessage
{
    [Parameter("uint64", "proposalId", 1)] public ulong ProposalId { get; set; }
}

[Function("registerTitle", "uint64")]
public sealed class RegisterTitleFunction : FunctionMessage
{
    [Parameter("bytes32", "lotKey", 1)] public byte[] LotKey { get; set; } = new byte[32];
    [Parameter("address", "holder", 2)] public string Holder { get; set; } = "";
    [Parameter("uint64", "quantity", 3)] public ulong Quantity { get; set; }
    [Parameter("bytes8", "unit", 4)] public byte[] Unit { get; set; } = new byte[8];
    [Parameter("bytes32[]", "keys", 5)] public List<byte[]> Keys { get; set; } = [];
}

[Function("transferTitle")]
public sealed class TransferTitleFunction : FunctionMessage
{
    [Parameter("uint64", "titleId", 1)] public ulong TitleId { get; set; }
    [Parameter("address", "newHolder", 2)] public string NewHolder { get; set; } = "";
}

[Function("surrenderTitle")]
public sealed class SurrenderTitleFunction : FunctionMessage
{
    [Parameter("uint64", "titleId", 1)] public ulong TitleId { get; set; }
}

/// <summary>A pledge with its borrower's consent; <see cref="FinancingReference"/> is the bank's commitment, never the reference.</summary>
[Function("pledge", "uint48")]
public sealed class PledgeFunction : FunctionMessage
{
    [Parameter("bytes32", "financingReference", 1)] public byte[] FinancingReference { get; set; } = new byte[32];
    [Parameter("uint40", "expiry", 2)] public ulong Expiry { get; set; }
    [Parameter("uint64[]", "titleIds", 3)] public List<ulong> TitleIds { get; set; } = [];
    [Parameter("bytes32[]", "keys", 4)] public List<byte[]> Keys { get; set; } = [];
    [Parameter("tuple", "consent", 5)] public ConsentData Consent { get; set; } = new();
}

/// <summary>The contract's <c>Consent</c> struct: what the borrower signed beyond the pledge itself, and the signature.</summary>
public sealed class ConsentData
{
    [Parameter("bytes32", "financingCommitment", 1)] public byte[] FinancingCommitment { get; set; } = new byte[32];
    [Parameter("uint64", "nonce", 2)] public ulong Nonce { get; set; }
    [Parameter("uint40", "deadline", 3)] public ulong Deadline { get; set; }
    [Parameter("bytes", "signature", 4)] public byte[] Signature { get; set; } = [];
}

[Function("surrenderWithHolderConsent")]
public sealed class SurrenderWithHolderConsentFunction : FunctionMessage
{
    [Parameter("uint64", "titleId", 1)] public ulong TitleId { get; set; }
    [Parameter("uint64", "nonce", 2)] public ulong ConsentNonce { get; set; }
    [Parameter("uint40", "deadline", 3)] public ulong Deadline { get; set; }
    [Parameter("bytes", "signature", 4)] public byte[] Signature { get; set; } = [];
}

[Function("declareDefault", "uint40")]
public sealed class DeclareDefaultFunction : FunctionMessage
{
    [Parameter("uint48", "pledgeId", 1)] public ulong PledgeId { get; set; }
    [Parameter("uint64", "titleId", 2)] public ulong TitleId { get; set; }
}

[Function("contestDefault")]
public sealed class ContestDefaultFunction : FunctionMessage
{
    [Parameter("uint48", "pledgeId", 1)] public ulong PledgeId { get; set; }
    [Parameter("uint64", "titleId", 2)] public ulong TitleId { get; set; }
}

[Function("proposeMaxPledgeTerm", "uint64")]
public sealed class ProposeMaxPledgeTermFunction : FunctionMessage
{
    [Parameter("uint32", "duration", 1)] public uint Duration { get; set; }
}

[Function("proposeContestPeriod", "uint64")]
public sealed class ProposeContestPeriodFunction : FunctionMessage
{
    [Parameter("uint32", "duration", 1)] public uint Duration { get; set; }
}

[Function("release")]
public sealed class ReleaseFunction : FunctionMessage
{
    [Parameter("uint48", "pledgeId", 1)] public ulong PledgeId { get; set; }
    [Parameter("uint64[]", "titleIds", 2)] public List<ulong> TitleIds { get; set; } = [];
    [Parameter("bytes32[]", "keys", 3)] public List<byte[]> Keys { get; set; } = [];
}

[Function("attestLoading")]
public sealed class AttestLoadingFunction : FunctionMessage
{
    [Parameter("bytes32", "lotKey", 1)] public byte[] LotKey { get; set; } = new byte[32];
    [Parameter("uint64", "quantity", 2)] public ulong Quantity { get; set; }
    [Parameter("bytes8", "unit", 3)] public byte[] Unit { get; set; } = new byte[8];
    [Parameter("uint40", "loadedAt", 4)] public ulong LoadedAt { get; set; }
    [Parameter("bytes32", "documentHash", 5)] public byte[] DocumentHash { get; set; } = new byte[32];
}

[Function("anchor")]
public sealed class AnchorFunction : FunctionMessage
{
    [Parameter("bytes32", "root", 1)] public byte[] Root { get; set; } = new byte[32];
    [Parameter("uint32", "leafCount", 2)] public uint LeafCount { get; set; }
}

/// <summary>A member withdraws a consent no bank has used yet.</summary>
[Function("revokeConsent")]
public sealed class RevokeConsentFunction : FunctionMessage
{
    [Parameter("uint64", "nonce", 1)] public ulong ConsentNonce { get; set; }
}
