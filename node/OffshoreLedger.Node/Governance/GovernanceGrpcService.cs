using System.Text;
using Grpc.Core;
using Nethereum.Contracts;
using Nethereum.Util;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;
using ProposalState = OffshoreLedger.Api.V1.ProposalState;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Governance;

/// <summary>
/// The consortium's governance for its admins: reads at the chain head, and proposals and approvals signed with this
/// node's organisation key and sent through the outbox like every write. What the chain would refuse (this node is no
/// admin; the proposal is unknown, executed or stale; the approval was already given) is refused here first with its
/// reason and field, and the contract refuses it again if the world moved in between.
/// </summary>
public sealed class GovernanceGrpcService(GovernanceReader reader, LedgerWrites writes, LedgerStore store, LedgerChain chain)
    : GovernanceService.GovernanceServiceBase
{
    private const int MaxOrganisationNameLength = 128;

    public override Task<ListMembersResponse> ListMembers(ListMembersRequest request, ServerCallContext context) => AtHead(async () =>
    {
        var view = await reader.AtHeadAsync();
        var response = new ListMembersResponse
        {
            Threshold = view.Governance.Threshold, AdminEpoch = view.Governance.AdminEpoch, BlockNumber = view.BlockNumber,
        };
        response.Members.AddRange(await GovernanceReader.MembersAsync(view));
        response.Admins.AddRange(view.Admins);
        return response;
    });

    public override Task<ListBindingsResponse> ListBindings(ListBindingsRequest request, ServerCallContext context) =>
        throw RpcErrors.GovernanceFeatureUnavailable("bindings", "carrier or port bindings");

    public override Task<ListProposalsResponse> ListProposals(ListProposalsRequest request, ServerCallContext context)
    {
        if (request.Limit > GovernanceReader.MaxProposalsListed)
        {
            throw RpcErrors.InvalidArgument([("limit", $"at most {GovernanceReader.MaxProposalsListed}, got {request.Limit}")]);
        }
        var limit = request.Limit == 0 ? GovernanceReader.MaxProposalsListed : (int)request.Limit;
        return AtHead(async () =>
        {
            var view = await reader.AtHeadAsync();
            var response = new ListProposalsResponse { BlockNumber = view.BlockNumber };
            response.Proposals.AddRange(await GovernanceReader.ProposalsAsync(view, request.OpenOnly, limit));
            return response;
        });
    }

    public override Task<ProposeResponse> Propose(ProposeRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        Func<Task<ProposeResponse>> send = request.ChangeCase switch
        {
            ProposeRequest.ChangeOneofCase.EnrolMember => Prepare("ProposeEnrolment", new ProposeEnrolmentFunction
            {
                Member = request.EnrolMember.Address, Roles = (byte)Roles(request.EnrolMember.Roles, "enrol_member.roles", check),
                Organisation = Organisation(request.EnrolMember.OrganisationName, "enrol_member.organisation_name", check),
            }),
            ProposeRequest.ChangeOneofCase.UpdateMember => Prepare("ProposeMemberUpdate", new ProposeMemberUpdateFunction
            {
                Member = request.UpdateMember.Address, Roles = (byte)Roles(request.UpdateMember.Roles, "update_member.roles", check),
                Organisation = Organisation(request.UpdateMember.OrganisationName, "update_member.organisation_name", check),
            }),
            ProposeRequest.ChangeOneofCase.RemoveMember =>
                Prepare("ProposeRemoval", new ProposeRemovalFunction { Member = request.RemoveMember.Address }),
            ProposeRequest.ChangeOneofCase.AddAdmin =>
                Prepare("ProposeAdminAddition", new ProposeAdminAdditionFunction { Admin = request.AddAdmin.Address }),
            ProposeRequest.ChangeOneofCase.RemoveAdmin =>
                Prepare("ProposeAdminRemoval", new ProposeAdminRemovalFunction { Admin = request.RemoveAdmin.Address }),
            ProposeRequest.ChangeOneofCase.SetThreshold =>
                Prepare("ProposeThreshold", new ProposeThresholdFunction { Threshold = request.SetThreshold.Threshold }),
            ProposeRequest.ChangeOneofCase.SetMaxPledgeTerm => Prepare(
                "ProposeMaxPledgeTerm", new ProposeMaxPledgeTermFunction { Duration = request.SetMaxPledgeTerm.Seconds }),
            ProposeRequest.ChangeOneofCase.SetContestPeriod => Prepare(
                "ProposeContestPeriod", new ProposeContestPeriodFunction { Duration = request.SetContestPeriod.Seconds }),
            ProposeRequest.ChangeOneofCase.BindCarrier => throw RpcErrors.GovernanceFeatureUnavailable("bind_carrier", "carrier bindings"),
            ProposeRequest.ChangeOneofCase.BindPort => throw RpcErrors.GovernanceFeatureUnavailable("bind_port", "port bindings"),
            ProposeRequest.ChangeOneofCase.RotateKey => throw RpcErrors.GovernanceFeatureUnavailable("rotate_key", "key rotation"),
            ProposeRequest.ChangeOneofCase.CorrectAttestation => throw RpcErrors.GovernanceFeatureUnavailable("correct_attestation", "attestation corrections"),
            ProposeRequest.ChangeOneofCase.ClearOverIssue => throw RpcErrors.GovernanceFeatureUnavailable("clear_over_issue", "over-issue clearance"),
            ProposeRequest.ChangeOneofCase.VoidTitle => throw RpcErrors.GovernanceFeatureUnavailable("void_title", "voiding titles"),
            ProposeRequest.ChangeOneofCase.ReenrolMember => throw RpcErrors.GovernanceFeatureUnavailable("reenrol_member", "re-enrolment"),
            _ => () => throw RpcErrors.InvalidArgument([("change", "required: the change to propose (enrol_member, remove_member, set_threshold, ...)")]),
        };
        switch (request.ChangeCase)
        {
            case ProposeRequest.ChangeOneofCase.EnrolMember: check.Address(request.EnrolMember.Address, "enrol_member.address"); break;
            case ProposeRequest.ChangeOneofCase.UpdateMember: check.Address(request.UpdateMember.Address, "update_member.address"); break;
            case ProposeRequest.ChangeOneofCase.RemoveMember: check.Address(request.RemoveMember.Address, "remove_member.address"); break;
            case ProposeRequest.ChangeOneofCase.AddAdmin: check.Address(request.AddAdmin.Address, "add_admin.address"); break;
            case ProposeRequest.ChangeOneofCase.RemoveAdmin: check.Address(request.RemoveAdmin.Address, "remove_admin.address"); break;
            case ProposeRequest.ChangeOneofCase.SetThreshold when request.SetThreshold.Threshold == 0: check.Add("set_threshold.threshold", "must be positive"); break;
            case ProposeRequest.ChangeOneofCase.SetMaxPledgeTerm when request.SetMaxPledgeTerm.Seconds == 0: check.Add("set_max_pledge_term.seconds", "must be positive"); break;
            case ProposeRequest.ChangeOneofCase.SetContestPeriod when request.SetContestPeriod.Seconds == 0: check.Add("set_contest_period.seconds", "must be positive"); break;
            case ProposeRequest.ChangeOneofCase.None: check.Add("change", "required: the change to propose (enrol_member, remove_member, set_threshold, ...)"); break;
        }
        check.ThrowIfAny();
        return send();

        Func<Task<ProposeResponse>> Prepare<TFunction>(string operation, TFunction call) where TFunction : FunctionMessage, new() =>
            () => SendProposalAsync(request.RequestId, operation, call, context);
    }

    public override async Task<ApproveResponse> Approve(ApproveRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        if (request.ProposalId == 0) check.Add("proposal_id", "required: the proposal to approve (offshore admin proposals)");
        check.ThrowIfAny();
        return await AtHead(async () =>
        {
            if (store.FindOutbox(request.RequestId) is null)
            {
                // A replay of a write already accepted goes straight to the outbox, which answers it; a new one is checked first.
                var view = await reader.AtHeadAsync();
                RequireAdmin(view);
                var proposal = await GovernanceReader.ProposalAsync(view, request.ProposalId) ?? throw RpcErrors.GovernanceRefused(
                    StatusCode.NotFound, "PROPOSAL_NOT_FOUND", "proposal_id", $"no proposal {request.ProposalId}");
                RequireOpen(proposal);
                if (proposal.ApprovedBy.Contains(Hex.Address(chain.Signer)))
                {
                    throw RpcErrors.GovernanceRefused(StatusCode.AlreadyExists, "ALREADY_APPROVED", "proposal_id",
                        $"{chain.Signer} already approved proposal {request.ProposalId}; another admin's approval is needed");
                }
            }
            var (entry, _) = await writes.SubmitAsync(
                request.RequestId, "Approve", new ApproveFunction { ProposalId = request.ProposalId }, context.CallerName(), context.CancellationToken);
            var after = await reader.AtHeadAsync();
            return new ApproveResponse { Receipt = LedgerWrites.Receipt(entry), Proposal = await GovernanceReader.ProposalAsync(after, request.ProposalId) };
        });
    }

    public override Task<WithdrawApprovalResponse> WithdrawApproval(WithdrawApprovalRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        if (request.ProposalId == 0) check.Add("proposal_id", "required: the proposal whose approval to withdraw");
        check.ThrowIfAny();
        throw RpcErrors.GovernanceFeatureUnavailable("proposal_id", "withdrawing an approval");
    }

    public override Task<ExecuteProposalResponse> ExecuteProposal(ExecuteProposalRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        if (request.ProposalId == 0) check.Add("proposal_id", "required: the queued proposal to execute");
        check.ThrowIfAny();
        throw RpcErrors.GovernanceFeatureUnavailable("proposal_id", "time-locked corrections");
    }

    private async Task<ProposeResponse> SendProposalAsync<TFunction>(string requestId, string operation, TFunction call, ServerCallContext context)
        where TFunction : FunctionMessage, new()
    {
        return await AtHead(async () =>
        {
            if (store.FindOutbox(requestId) is null) RequireAdmin(await reader.AtHeadAsync());
            var (entry, events) = await writes.SubmitAsync(requestId, operation, call, context.CallerName(), context.CancellationToken);
            var created = events.OfType<ProposalCreatedEvent>().Single();
            var after = await reader.AtHeadAsync();
            return new ProposeResponse { Receipt = LedgerWrites.Receipt(entry), Proposal = await GovernanceReader.ProposalAsync(after, created.ProposalId) };
        });
    }

    private void RequireAdmin(GovernanceReader.View view)
    {
        var signer = Hex.Address(chain.Signer);
        if (view.Admins.Contains(signer)) return;
        throw RpcErrors.GovernanceRefused(StatusCode.PermissionDenied, RpcErrors.NotAnAdminReason, "x-api-key",
            $"this node signs as {signer}, which is not a consortium admin: only an admin's node can propose or approve",
            new Dictionary<string, string> { ["account"] = signer });
    }

    private static void RequireOpen(Proposal proposal)
    {
        var id = proposal.ProposalId;
        switch (proposal.State)
        {
            case ProposalState.Executed:
                throw RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, "PROPOSAL_ALREADY_EXECUTED", "proposal_id", $"proposal {id} has already executed");
            case ProposalState.Stale:
                throw RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, "PROPOSAL_STALE", "proposal_id",
                    $"proposal {id} was made under another admin set or threshold and can no longer execute; propose it again");
            case ProposalState.Expired:
                throw RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, "PROPOSAL_EXPIRED", "proposal_id",
                    $"proposal {id} passed its deadline; propose it again");
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

    private static byte[] Organisation(string name, string field, RequestCheck check)
    {
        if (string.IsNullOrWhiteSpace(name)) check.Add(field, "required: the organisation's name");
        else check.Length(name, field, MaxOrganisationNameLength);
        return Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(name ?? ""));
    }

    private static async Task<T> AtHead<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (LedgerChain.IsUnreachable(ex))
        {
            throw RpcErrors.Unavailable("The chain is not answering, so governance cannot be read at its head.");
        }
    }
}
