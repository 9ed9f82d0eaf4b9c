using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OffshoreLedger.Contracts.Bindings;

// Typed transaction messages for every state-changing function of OffshoreLedger.sol.

/// <summary>Enrols a member under its display name (its keccak-256 is the organisation id) and LEI (20 characters, or empty).</summary>
[Function("proposeEnrolment", "uint64")]
public sealed class ProposeEnrolmentFunction : FunctionMessage
{
    [Parameter("address", "member", 1)] public string Member { get; set; } = "";
    [Parameter("uint8", "roles", 2)] public byte Roles { get; set; }
    [Parameter("string", "name", 3)] public string Name { get; set; } = "";
    [Parameter("string", "lei", 4)] public string Lei { get; set; } = "";
}

/// <summary>Changes a member's roles, display name and LEI.</summary>
[Function("proposeMemberUpdate", "uint64")]
public sealed class ProposeMemberUpdateFunction : FunctionMessage
{
    [Parameter("address", "member", 1)] public string Member { get; set; } = "";
    [Parameter("uint8", "roles", 2)] public byte Roles { get; set; }
    [Parameter("string", "name", 3)] public string Name { get; set; } = "";
    [Parameter("string", "lei", 4)] public string Lei { get; set; } = "";
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

/// <summary>Withdraws the caller's approval of a proposal not executed yet (a queued correction below the threshold is unqueued).</summary>
[Function("withdrawApproval")]
public sealed class WithdrawApprovalFunction : FunctionMessage
{
    [Parameter("uint64", "proposalId", 1)] public ulong ProposalId { get; set; }
}

/// <summary>Executes a queued time-locked correction once <c>CORRECTION_DELAY</c> has passed (any admin).</summary>
[Function("execute")]
public sealed class ExecuteProposalFunction : FunctionMessage
{
    [Parameter("uint64", "proposalId", 1)] public ulong ProposalId { get; set; }
}

/// <summary>
/// Enrols a former member again; <see cref="KeepTitles"/> restores its index (its titles live for it again), otherwise a new index.
/// </summary>
[Function("proposeReenrolment", "uint64")]
public sealed class ProposeReenrolmentFunction : FunctionMessage
{
    [Parameter("address", "member", 1)] public string Member { get; set; } = "";
    [Parameter("uint8", "roles", 2)] public byte Roles { get; set; }
    [Parameter("string", "name", 3)] public string Name { get; set; } = "";
    [Parameter("string", "lei", 4)] public string Lei { get; set; } = "";
    [Parameter("bool", "keepTitles", 5)] public bool KeepTitles { get; set; }
}

/// <summary>Moves an active member to a new key: same index (titles, pledges, bindings, nonces follow).</summary>
[Function("proposeKeyRotation", "uint64")]
public sealed class ProposeKeyRotationFunction : FunctionMessage
{
    [Parameter("address", "member", 1)] public string Member { get; set; } = "";
    [Parameter("address", "newAccount", 2)] public string NewAccount { get; set; } = "";
}

/// <summary>Binds a carrier code (SCAC/SMDG) to a CARRIER member; the zero address unbinds.</summary>
[Function("proposeCarrierCode", "uint64")]
public sealed class ProposeCarrierCodeFunction : FunctionMessage
{
    [Parameter("bytes8", "code", 1)] public byte[] Code { get; set; } = new byte[8];
    [Parameter("address", "carrier", 2)] public string Carrier { get; set; } = "";
}

/// <summary>Binds a UN/LOCODE to a PORT member; the zero address unbinds.</summary>
[Function("proposePortCode", "uint64")]
public sealed class ProposePortCodeFunction : FunctionMessage
{
    [Parameter("bytes8", "locode", 1)] public byte[] Locode { get; set; } = new byte[8];
    [Parameter("address", "port", 2)] public string Port { get; set; } = "";
}

/// <summary>Time-locked correction of an attested lot's quantity; 0 annuls the attestation.</summary>
[Function("proposeAttestationCorrection", "uint64")]
public sealed class ProposeAttestationCorrectionFunction : FunctionMessage
{
    [Parameter("bytes32", "lotKey", 1)] public byte[] LotKey { get; set; } = new byte[32];
    [Parameter("uint64", "quantity", 2)] public ulong Quantity { get; set; }
}

/// <summary>Time-locked clearance of a lot's over-issue mark (its live quantity must be within the attested one).</summary>
[Function("proposeOverIssueClearance", "uint64")]
public sealed class ProposeOverIssueClearanceFunction : FunctionMessage
{
    [Parameter("bytes32", "lotKey", 1)] public byte[] LotKey { get; set; } = new byte[32];
}

/// <summary>Time-locked void of a live title: its lock ends, its quantities leave its lots, its keys are free again.</summary>
[Function("proposeTitleVoid", "uint64")]
public sealed class ProposeTitleVoidFunction : FunctionMessage
{
    [Parameter("uint64", "titleId", 1)] public ulong TitleId { get; set; }
}

/// <summary>The carrier bound to <see cref="TitleIssueData.CarrierCode"/> issues a title (<c>registerTitle</c>).</summary>
[Function("registerTitle", "uint64")]
public sealed class RegisterTitleFunction : FunctionMessage
{
    [Parameter("tuple", "issue", 1)] public TitleIssueData Issue { get; set; } = new();

    /// <summary>A one-lot issue under <paramref name="carrierCode"/> (e.g. <c>MAEU</c>).</summary>
    public static RegisterTitleFunction OneLot(
        string carrierCode, byte[] lotKey, string holder, ulong quantity, byte[] unit, List<byte[]> keys) => new()
    {
        Issue = new TitleIssueData
        {
            CarrierCode = LedgerCode.ToBytes(carrierCode), Holder = holder, Unit = unit, Keys = keys, LotKeys = [lotKey],
            Quantities = [quantity],
        },
    };
}

/// <summary>The holder registers a title with its carrier's EIP-712 <c>TitleIssue</c> signature.</summary>
[Function("registerTitleWithCarrierSignature", "uint64")]
public sealed class RegisterTitleWithCarrierSignatureFunction : FunctionMessage
{
    [Parameter("tuple", "issue", 1)] public TitleIssueData Issue { get; set; } = new();
    [Parameter("uint40", "deadline", 2)] public ulong Deadline { get; set; }
    [Parameter("bytes", "signature", 3)] public byte[] Signature { get; set; } = [];
}

/// <summary>
/// The contract's <c>TitleIssue</c> struct: a title as its carrier issues it. <see cref="Keys"/>[0] is the B/L's own key;
/// <see cref="Quantities"/>[i] of <see cref="Unit"/> is booked on the attested lot <see cref="LotKeys"/>[i] (one per HS heading).
/// Codes are ASCII, left-aligned in 8 bytes (<see cref="LedgerCode"/>).
/// </summary>
public sealed class TitleIssueData
{
    [Parameter("bytes8", "carrierCode", 1)] public byte[] CarrierCode { get; set; } = new byte[8];
    [Parameter("address", "holder", 2)] public string Holder { get; set; } = "";
    [Parameter("bytes8", "unit", 3)] public byte[] Unit { get; set; } = new byte[8];
    [Parameter("bytes32[]", "keys", 4)] public List<byte[]> Keys { get; set; } = [];
    [Parameter("bytes32[]", "lotKeys", 5)] public List<byte[]> LotKeys { get; set; } = [];
    [Parameter("uint64[]", "quantities", 6)] public List<ulong> Quantities { get; set; } = [];
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

/// <summary>The port bound to <see cref="Locode"/> (its port of loading) attests a lot, and so creates it.</summary>
[Function("attestLoading")]
public sealed class AttestLoadingFunction : FunctionMessage
{
    [Parameter("bytes32", "lotKey", 1)] public byte[] LotKey { get; set; } = new byte[32];
    [Parameter("bytes8", "locode", 2)] public byte[] Locode { get; set; } = new byte[8];
    [Parameter("uint64", "quantity", 3)] public ulong Quantity { get; set; }
    [Parameter("bytes8", "unit", 4)] public byte[] Unit { get; set; } = new byte[8];
    [Parameter("uint40", "loadedAt", 5)] public ulong LoadedAt { get; set; }
    [Parameter("bytes32", "documentHash", 6)] public byte[] DocumentHash { get; set; } = new byte[32];
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
