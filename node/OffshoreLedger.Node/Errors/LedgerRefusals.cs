using System.Globalization;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Node.Errors;

/// <summary>
/// How each refusal of the ledger contracts reaches a caller: its status code, its <see cref="ErrorReason"/>, and the
/// refusal in words for the message (the Solidity error's name stays out of the API: the reason carries the code).
/// Arguments become metadata a client can read without the contracts' encodings: addresses EIP-55, roles by name,
/// times RFC 3339.
/// </summary>
public static class LedgerRefusals
{
    /// <summary>One contract error as the API answers it.</summary>
    public sealed record Refusal(StatusCode Code, ErrorReason Reason, string Words);

    private static Refusal Precondition(ErrorReason reason, string words) => new(StatusCode.FailedPrecondition, reason, words);

    private static Refusal Denied(ErrorReason reason, string words) => new(StatusCode.PermissionDenied, reason, words);

    private static Refusal Invalid(ErrorReason reason, string words) => new(StatusCode.InvalidArgument, reason, words);

    private static Refusal Exists(ErrorReason reason, string words) => new(StatusCode.AlreadyExists, reason, words);

    /// <summary>
    /// Every custom error the contracts declare, plus the node's names for simulation refusals that are not one of them
    /// (<see cref="Chain.SimulationRefusal"/>) and for a transaction that reverted on chain. Codes are as they were when
    /// reasons were derived from the error names, so no existing client sees a different status.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, Refusal> ByContractError = new Dictionary<string, Refusal>(StringComparer.Ordinal)
    {
        // CollateralLedger: titles, keys and lots.
        ["InvalidKey"] = Precondition(ErrorReason.InvalidKey, "a collateral key is zero or repeated"),
        ["InvalidKeyCount"] = Precondition(ErrorReason.InvalidKeyCount, "the number of keys is outside what a title takes"),
        ["InvalidQuantity"] = Precondition(ErrorReason.InvalidQuantity, "the quantity is zero"),
        ["InvalidUnit"] = Precondition(ErrorReason.InvalidUnit, "the unit is empty"),
        ["InvalidLot"] = Precondition(ErrorReason.InvalidLot, "the lot key is zero"),
        ["InvalidExpiry"] = Precondition(ErrorReason.InvalidExpiry, "the expiry is not in the future"),
        ["InvalidLoadingTime"] = Precondition(ErrorReason.InvalidLoadingTime, "the loading time is zero or in the future"),
        ["InvalidDocumentHash"] = Precondition(ErrorReason.InvalidDocumentHash, "the document hash is zero"),
        ["InvalidBatchSize"] = Precondition(ErrorReason.InvalidBatchSize, "the batch is empty or too large"),
        ["InvalidLotCount"] = Precondition(ErrorReason.InvalidLotCount, "the lots and quantities do not pair up"),
        ["KeyAlreadyLive"] = Exists(ErrorReason.KeyAlreadyLive, "a key is already in a live title"),
        ["KeyBurned"] = Precondition(ErrorReason.KeyBurned, "a key belongs to a surrendered title and can never be used again"),
        ["KeyPledged"] = Precondition(ErrorReason.KeyAlreadyPledged, "a key is already under another financing"),
        ["UnknownTitle"] = new(StatusCode.NotFound, ErrorReason.TitleNotFound, "no title has that id"),
        ["TitleNotLive"] = Precondition(ErrorReason.TitleNotLive, "the title is surrendered or voided"),
        ["TitlePledged"] = Precondition(ErrorReason.TitleAlreadyPledged, "the title is already under another financing"),
        ["NotHolder"] = Denied(ErrorReason.NotHolder, "the account does not hold the title"),
        ["NotPledgee"] = Denied(ErrorReason.NotPledgee, "the account is not the pledge's bank"),
        ["NotInPledge"] = Precondition(ErrorReason.NotInPledge, "the title or key is not part of the pledge"),
        ["UnitMismatch"] = Precondition(ErrorReason.UnitMismatch, "the title's unit differs from its lot's"),
        ["LotQuantityExceeded"] = Precondition(
            ErrorReason.LotQuantityExceeded, "the lot's titles would exceed the port's attested quantity"),
        ["LotOverIssuedError"] = Precondition(
            ErrorReason.LotOverIssued, "the lot's titles exceed its attested quantity; it is frozen until corrected"),
        ["LotAlreadyAttested"] = Exists(ErrorReason.LotAlreadyAttested, "the lot was already attested"),
        ["LotNotAttested"] = Precondition(ErrorReason.LotNotAttested, "the lot has no loading attestation yet"),
        ["LotNotOverIssued"] = Precondition(ErrorReason.LotNotOverIssued, "the lot is not over-issued"),
        ["QuantityTooLarge"] = Precondition(ErrorReason.QuantityTooLarge, "the quantity is larger than the ledger takes"),
        ["PledgeTermTooLong"] = Invalid(ErrorReason.PledgeTermTooLong, "the pledge runs longer than the consortium's maximum term"),
        // A consent that is not this pledge's holder's signature for this bank, titles, keys, terms, chain and contract.
        ["ConsentInvalid"] = Denied(ErrorReason.ConsentInvalid, "the consent is not a valid signature over these terms"),
        ["ConsentNotFromHolder"] = Denied(ErrorReason.ConsentInvalid, "the consent is not signed by the title's holder"),
        ["BorrowerNotTrader"] = Denied(ErrorReason.ConsentInvalid, "the consent's signer is not an active trader"),
        ["ConsentExpired"] = Precondition(ErrorReason.ConsentExpired, "the consent's deadline has passed"),
        ["ConsentUsed"] = Precondition(ErrorReason.ConsentUsed, "the consent was already used"),
        ["EnforcementNotComplete"] = Precondition(
            ErrorReason.EnforcementNotComplete, "the pledge cannot be enforced before its contest period ends"),
        ["DefaultAlreadyDeclared"] = Precondition(ErrorReason.DefaultAlreadyDeclared, "a default is already declared on the pledge"),
        ["NoDefaultToContest"] = Precondition(ErrorReason.NoDefaultToContest, "the pledge has no declared default to contest"),
        ["NotCarrierFor"] = Precondition(ErrorReason.NotCarrierFor, "the account is not the carrier bound to that carrier code"),
        ["NotPortOfLoading"] = Precondition(ErrorReason.NotPortOfLoading, "the account is not the port bound to that port of loading"),
        ["NotHolderSubmitting"] = Precondition(ErrorReason.NotHolderSubmitting, "the submitting account is not the holder it acts for"),
        ["SignatureExpired"] = Precondition(ErrorReason.SignatureExpired, "the signature's deadline has passed"),
        // DocumentAnchor.
        ["InvalidRoot"] = Precondition(ErrorReason.InvalidRoot, "the batch root is zero"),
        ["InvalidLeafCount"] = Precondition(ErrorReason.InvalidLeafCount, "the batch has no documents"),
        ["AnchorExists"] = Exists(ErrorReason.AnchorExists, "the document batch is already anchored"),
        // Consortium: membership, roles and governance.
        ["NotMember"] = Denied(ErrorReason.NotAMember, "the account is not an active consortium member"),
        ["MissingRole"] = Denied(ErrorReason.MissingRole, "the account lacks the role this step needs"),
        ["NotAdmin"] = Denied(ErrorReason.NotAnAdmin, "the account is not a consortium admin"),
        ["ZeroAddress"] = Precondition(ErrorReason.ZeroAddress, "an address is the zero address"),
        ["InvalidRoles"] = Precondition(ErrorReason.InvalidRoles, "the roles are not a valid combination"),
        ["InvalidThreshold"] = Invalid(ErrorReason.InvalidThreshold, "the threshold is below one or above the number of admins"),
        ["MemberAlreadyActive"] = Precondition(ErrorReason.MemberAlreadyActive, "the member is already active"),
        ["MemberNotActive"] = Precondition(ErrorReason.MemberNotActive, "the member is not active"),
        ["AlreadyAdmin"] = Precondition(ErrorReason.AlreadyAdmin, "the account is already an admin"),
        ["UnknownProposal"] = new(StatusCode.NotFound, ErrorReason.ProposalNotFound, "no proposal has that id"),
        ["ProposalAlreadyExecuted"] = Precondition(ErrorReason.ProposalAlreadyExecuted, "the proposal has already executed"),
        ["ProposalStale"] = Precondition(ErrorReason.ProposalStale, "the admins or threshold changed since the proposal was made"),
        ["AlreadyApproved"] = Exists(ErrorReason.AlreadyApproved, "this admin already approved the proposal"),
        ["InvalidDuration"] = Precondition(ErrorReason.InvalidDuration, "the duration is outside what the consortium takes"),
        ["ProposalExpired"] = Precondition(ErrorReason.ProposalExpired, "the proposal's approval window has closed"),
        ["NotApproved"] = Precondition(ErrorReason.NotApproved, "this admin has not approved the proposal"),
        ["ThresholdNotMet"] = Precondition(ErrorReason.ThresholdNotMet, "the proposal does not have enough approvals yet"),
        ["TimeLocked"] = Precondition(ErrorReason.TimeLocked, "the correction's time lock has not ended"),
        ["NotTimeLocked"] = Precondition(ErrorReason.NotTimeLocked, "the proposal is not time-locked"),
        ["FormerMember"] = Precondition(ErrorReason.FormerMember, "the account belonged to a former member"),
        ["NotFormerMember"] = Precondition(ErrorReason.NotFormerMember, "the account is not a former member"),
        ["AccountInUse"] = Precondition(ErrorReason.AccountInUse, "the account is in use by another member"),
        ["InvalidCode"] = Precondition(ErrorReason.InvalidCode, "the carrier or port code is not one the consortium takes"),
        ["CodeNotBound"] = Precondition(ErrorReason.CodeNotBound, "the carrier or port code is bound to no one"),
        ["InvalidName"] = Precondition(ErrorReason.InvalidName, "the member name's length is outside what the consortium takes"),
        ["InvalidLei"] = Precondition(ErrorReason.InvalidLei, "the legal entity identifier's length is not 20"),
        // OpenZeppelin ShortStrings, from the EIP-712 domain set at deployment.
        ["StringTooLong"] = Precondition(ErrorReason.StringTooLong, "a string is longer than the contract takes"),
        ["InvalidShortString"] = Precondition(ErrorReason.InvalidShortString, "a short string is malformed"),
        // Not the contracts' own errors (SimulationRefusal, OutboxSender).
        ["ContractPanic"] = Precondition(ErrorReason.ContractPanic, "the contract failed an internal check"),
        ["RevertMessage"] = Precondition(ErrorReason.RevertMessage, "the contract reverted with a message"),
        ["UnknownRevert"] = Precondition(ErrorReason.UnknownRevert, "the contract reverted for a reason the node cannot decode"),
        ["GasRequiredExceedsAllowance"] = Precondition(
            ErrorReason.GasRequiredExceedsAllowance, "the write needs more gas than a block allows"),
        ["Reverted"] = Precondition(ErrorReason.Reverted, "the transaction reverted on chain; the ledger changed since it was checked"),
    };

    /// <summary>A contract error this node does not know (a newer contract): LEDGER_REFUSED, the error's name in metadata.</summary>
    public static Refusal Unknown { get; } = Precondition(ErrorReason.LedgerRefused, "the ledger refused the write");

    private static readonly HashSet<string> AddressArguments = new(StringComparer.Ordinal)
    {
        "account", "admin", "borrower", "holder", "member", "signer", "submitter",
    };

    private static readonly HashSet<string> RoleArguments = new(StringComparer.Ordinal) { "required", "roles" };

    private static readonly HashSet<string> TimeArguments = new(StringComparer.Ordinal)
    {
        "deadline", "enforceableAt", "executableAt", "expiry", "latestExpiry", "loadedAt",
    };

    /// <summary>
    /// A refusal's arguments as the API shows them: addresses EIP-55, role bitmasks as role names
    /// (<c>MEMBER_ROLE_TRADER</c>, comma-separated), unix seconds as RFC 3339 UTC; other values as they are.
    /// </summary>
    public static Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string>? arguments)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (arguments is null) return metadata;
        foreach (var (name, value) in arguments)
        {
            metadata[name] =
                AddressArguments.Contains(name) ? Address(value)
                : RoleArguments.Contains(name) && byte.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var roles)
                    ? RoleNames((MemberRoles)roles)
                : TimeArguments.Contains(name) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    ? Time(seconds)
                : value;
        }
        return metadata;
    }

    /// <summary>
    /// An address in EIP-55 mixed case, as every answer of the API gives addresses; text that is no address stays as it is.
    /// </summary>
    public static string Address(string address) => Identity.ChecksumAddress.Of(address);

    /// <summary>Unix seconds as RFC 3339 UTC, e.g. <c>2026-12-07T03:40:00Z</c>.</summary>
    public static string Time(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(unixSeconds, 0, 253402300799))
            .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Role flags by the API's names (<see cref="MemberRole"/>), e.g. <c>MEMBER_ROLE_BANK,MEMBER_ROLE_TRADER</c>.</summary>
    public static string RoleNames(MemberRoles roles)
    {
        var names = new List<string>();
        if (roles.HasFlag(MemberRoles.Bank)) names.Add("MEMBER_ROLE_BANK");
        if (roles.HasFlag(MemberRoles.Port)) names.Add("MEMBER_ROLE_PORT");
        if (roles.HasFlag(MemberRoles.Trader)) names.Add("MEMBER_ROLE_TRADER");
        if (roles.HasFlag(MemberRoles.Carrier)) names.Add("MEMBER_ROLE_CARRIER");
        if (roles.HasFlag(MemberRoles.Auditor)) names.Add("MEMBER_ROLE_AUDITOR");
        return string.Join(',', names);
    }
}
