using System.Text;
using System.Text.RegularExpressions;
using Nethereum.Contracts;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Outbox;
using OffshoreLedger.Node.Writes;

namespace OffshoreLedger.Node.Governance;

/// <summary>One proposal as the contract call that makes it, ready for the outbox.</summary>
public sealed record ProposalCall(
    string Operation,
    Func<WriteSubmission, string, string, CancellationToken,
        Task<(OutboxEntry Entry, IReadOnlyList<Nethereum.ABI.FunctionEncoding.Attributes.IEventDTO> Events)>> Submit)
{
    public static ProposalCall Of<TFunction>(string operation, TFunction function) where TFunction : FunctionMessage, new() =>
        new(operation, (writes, requestId, submittedBy, ct) => writes.SubmitAsync(requestId, operation, function, submittedBy, ct));
}

/// <summary>
/// Every change an admin can propose, checked field by field (each violation names its field) and turned into the
/// contract's propose call. What only the chain can tell (a member already active, a code never bound, a title not
/// live) the contract refuses with its typed error.
/// </summary>
public static partial class ProposalCalls
{
    /// <summary>The contract's bound on a display name.</summary>
    private const int MaxOrganisationNameBytes = 128;

    /// <summary>The contract's cap on a quantity (<c>MAX_QUANTITY</c>, 2^48).</summary>
    private const ulong MaxQuantity = 1UL << 48;

    /// <summary>
    /// The call for <paramref name="request"/>'s change; null (with violations in <paramref name="check"/>) when it is not valid.
    /// </summary>
    public static ProposalCall? From(ProposeRequest request, RequestCheck check)
    {
        ArgumentNullException.ThrowIfNull(request);
        switch (request.ChangeCase)
        {
            case ProposeRequest.ChangeOneofCase.EnrolMember:
            {
                var change = request.EnrolMember;
                check.Address(change.Address, "enrol_member.address");
                return ProposalCall.Of("ProposeEnrolment", new ProposeEnrolmentFunction
                {
                    Member = change.Address, Roles = (byte)Roles(change.Roles, "enrol_member.roles", check),
                    Name = Name(change.OrganisationName, "enrol_member.organisation_name", check),
                    Lei = Lei(change.Lei, "enrol_member.lei", check),
                });
            }
            case ProposeRequest.ChangeOneofCase.UpdateMember:
            {
                var change = request.UpdateMember;
                check.Address(change.Address, "update_member.address");
                return ProposalCall.Of("ProposeMemberUpdate", new ProposeMemberUpdateFunction
                {
                    Member = change.Address, Roles = (byte)Roles(change.Roles, "update_member.roles", check),
                    Name = Name(change.OrganisationName, "update_member.organisation_name", check),
                    Lei = Lei(change.Lei, "update_member.lei", check),
                });
            }
            case ProposeRequest.ChangeOneofCase.ReenrolMember:
            {
                var change = request.ReenrolMember;
                check.Address(change.Address, "reenrol_member.address");
                return ProposalCall.Of("ProposeReenrolment", new ProposeReenrolmentFunction
                {
                    Member = change.Address, Roles = (byte)Roles(change.Roles, "reenrol_member.roles", check),
                    Name = Name(change.OrganisationName, "reenrol_member.organisation_name", check),
                    Lei = Lei(change.Lei, "reenrol_member.lei", check),
                    KeepTitles = change.KeepTitles,
                });
            }
            case ProposeRequest.ChangeOneofCase.RemoveMember:
                check.Address(request.RemoveMember.Address, "remove_member.address");
                return ProposalCall.Of("ProposeRemoval", new ProposeRemovalFunction { Member = request.RemoveMember.Address });
            case ProposeRequest.ChangeOneofCase.AddAdmin:
                check.Address(request.AddAdmin.Address, "add_admin.address");
                return ProposalCall.Of("ProposeAdminAddition", new ProposeAdminAdditionFunction { Admin = request.AddAdmin.Address });
            case ProposeRequest.ChangeOneofCase.RemoveAdmin:
                check.Address(request.RemoveAdmin.Address, "remove_admin.address");
                return ProposalCall.Of("ProposeAdminRemoval", new ProposeAdminRemovalFunction { Admin = request.RemoveAdmin.Address });
            case ProposeRequest.ChangeOneofCase.SetThreshold:
                if (request.SetThreshold.Threshold == 0) check.Add("set_threshold.threshold", "must be positive");
                return ProposalCall.Of("ProposeThreshold", new ProposeThresholdFunction { Threshold = request.SetThreshold.Threshold });
            case ProposeRequest.ChangeOneofCase.SetMaxPledgeTerm:
                if (request.SetMaxPledgeTerm.Seconds == 0) check.Add("set_max_pledge_term.seconds", "must be positive");
                return ProposalCall.Of(
                    "ProposeMaxPledgeTerm", new ProposeMaxPledgeTermFunction { Duration = request.SetMaxPledgeTerm.Seconds });
            case ProposeRequest.ChangeOneofCase.SetContestPeriod:
                if (request.SetContestPeriod.Seconds == 0) check.Add("set_contest_period.seconds", "must be positive");
                return ProposalCall.Of(
                    "ProposeContestPeriod", new ProposeContestPeriodFunction { Duration = request.SetContestPeriod.Seconds });
            case ProposeRequest.ChangeOneofCase.BindCarrier:
            {
                check.Address(request.BindCarrier.Address, "bind_carrier.address");
                var code = Code(
                    request.BindCarrier.Code, "bind_carrier.code", CarrierCodePattern(),
                    "a carrier code: a SCAC or SMDG code of 2 to 4 letters or digits, e.g. MAEU", check);
                return ProposalCall.Of(
                    "ProposeCarrierCode", new ProposeCarrierCodeFunction { Code = code, Carrier = request.BindCarrier.Address });
            }
            case ProposeRequest.ChangeOneofCase.BindPort:
            {
                check.Address(request.BindPort.Address, "bind_port.address");
                var code = Code(
                    request.BindPort.Code, "bind_port.code", LocodePattern(),
                    "a UN/LOCODE: 2 letters of country and 3 of place, e.g. SGSIN", check);
                return ProposalCall.Of("ProposePortCode", new ProposePortCodeFunction { Locode = code, Port = request.BindPort.Address });
            }
            case ProposeRequest.ChangeOneofCase.RotateKey:
            {
                var change = request.RotateKey;
                check.Address(change.Address, "rotate_key.address");
                check.Address(change.NewAddress, "rotate_key.new_address");
                if (string.Equals(change.Address, change.NewAddress, StringComparison.OrdinalIgnoreCase)) check.Add(
                    "rotate_key.new_address", "must differ from address");
                else if (Hex.Address(change.NewAddress) == Hex.ZeroAddress) check.Add(
                    "rotate_key.new_address", "must not be the zero address");
                return ProposalCall.Of(
                    "ProposeKeyRotation", new ProposeKeyRotationFunction { Member = change.Address, NewAccount = change.NewAddress });
            }
            case ProposeRequest.ChangeOneofCase.CorrectAttestation:
            {
                var change = request.CorrectAttestation;
                check.Bytes32(change.LotKey, "correct_attestation.lot_key");
                if (change.Quantity > MaxQuantity) check.Add(
                    "correct_attestation.quantity", $"at most {MaxQuantity} (2^48), got {change.Quantity}");
                return ProposalCall.Of(
                    "ProposeAttestationCorrection",
                    new ProposeAttestationCorrectionFunction { LotKey = change.LotKey.ToByteArray(), Quantity = change.Quantity });
            }
            case ProposeRequest.ChangeOneofCase.ClearOverIssue:
                check.Bytes32(request.ClearOverIssue.LotKey, "clear_over_issue.lot_key");
                return ProposalCall.Of(
                    "ProposeOverIssueClearance",
                    new ProposeOverIssueClearanceFunction { LotKey = request.ClearOverIssue.LotKey.ToByteArray() });
            case ProposeRequest.ChangeOneofCase.VoidTitle:
                if (request.VoidTitle.TitleId == 0) check.Add("void_title.title_id", "required: the title to void");
                return ProposalCall.Of("ProposeTitleVoid", new ProposeTitleVoidFunction { TitleId = request.VoidTitle.TitleId });
            default:
                check.Add(
                    "change",
                    "required: the change to propose (enrol_member, remove_member, set_threshold, bind_carrier, void_title, ...)");
                return null;
        }
    }

    private static MemberRoles Roles(IReadOnlyCollection<MemberRole> roles, string field, RequestCheck check)
    {
        if (roles.Count == 0) check.Add(field, "at least one role");
        foreach (var role in roles)
        {
            if (role == MemberRole.Unspecified || !Enum.IsDefined(role)) check.Add(field, $"{(int)role} is not a member role");
        }
        return check.Violations.Any(v => v.Field == field) ? MemberRoles.None : GovernanceReader.Flags(roles);
    }

    /// <summary>The display name as it goes on chain (trimmed); the contract takes 1 to 128 bytes of UTF-8.</summary>
    private static string Name(string name, string field, RequestCheck check)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0) check.Add(field, "required: the organisation's display name");
        else if (Encoding.UTF8.GetByteCount(trimmed) > MaxOrganisationNameBytes)
        {
            check.Add(field, $"at most {MaxOrganisationNameBytes} bytes of UTF-8, got {Encoding.UTF8.GetByteCount(trimmed)}");
        }
        return trimmed;
    }

    private static string Lei(string lei, string field, RequestCheck check)
    {
        var normalised = (lei ?? "").Trim().ToUpperInvariant();
        if (normalised.Length > 0 && !LegalEntityIdentifier.IsValid(normalised))
        {
            check.Add(field, "must be an ISO 17442 LEI: 20 letters or digits whose last two are its check digits (or empty)");
        }
        return normalised;
    }

    /// <summary>A code as the contract keeps it (upper case, left-aligned in 8 bytes); the zero code when it is not valid.</summary>
    private static byte[] Code(string code, string field, Regex pattern, string expected, RequestCheck check)
    {
        var normalised = (code ?? "").Trim().ToUpperInvariant();
        if (normalised.Length > 16 || !pattern.IsMatch(normalised))
        {
            check.Add(field, $"must be {expected}; got '{(normalised.Length > 16 ? normalised[..16] + "…" : normalised)}'");
            return new byte[8];
        }
        return LedgerCode.ToBytes(normalised);
    }

    [GeneratedRegex("^[A-Z0-9]{2,4}$")]
    private static partial Regex CarrierCodePattern();

    [GeneratedRegex("^[A-Z]{2}[A-Z2-9]{3}$")]
    private static partial Regex LocodePattern();
}
