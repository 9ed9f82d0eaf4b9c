using Grpc.Core;
using Nethereum.Contracts;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Outbox;
using OffshoreLedger.Node.Writes;
using ProposalState = OffshoreLedger.Api.V1.ProposalState;

namespace OffshoreLedger.Node.Governance;

/// <summary>
/// The consortium's governance for its admins: reads at the chain head, and proposals and approvals signed with this
/// node's organisation key and sent through the outbox like every write. What the chain would refuse (this node is no
/// admin; the proposal is unknown, executed, stale or expired; the approval was already given, or never given; a
/// correction not yet past its time lock) is refused here first with its reason and field, and the contract refuses it
/// again if the world moved in between.
/// </summary>
public sealed class GovernanceGrpcService(GovernanceReader reader, WriteSubmission writes, OutboxStore store, LedgerChain chain)
    : GovernanceService.GovernanceServiceBase
{
    public override Task<ListMembersResponse> ListMembers(ListMembersRequest request, ServerCallContext context) => AtHead(async () =>
    {
        var view = await reader.AtHeadAsync();
        var response = new ListMembersResponse
        {
            Threshold = view.Governance.Threshold, AdminEpoch = view.Governance.AdminEpoch, BlockNumber = view.BlockNumber,
        };
        response.Members.AddRange(await reader.MembersAsync(view, await reader.BindingsAsync(view)));
        response.Admins.AddRange(view.Admins.Select(ChecksumAddress.Of));
        return response;
    });

    public override Task<ListBindingsResponse> ListBindings(ListBindingsRequest request, ServerCallContext context) => AtHead(async () =>
    {
        var view = await reader.AtHeadAsync();
        var response = new ListBindingsResponse { BlockNumber = view.BlockNumber };
        response.Bindings.AddRange(await reader.BindingsAsync(view));
        return response;
    });

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
        var call = ProposalCalls.From(request, check);
        check.ThrowIfAny();
        return AtHead(async () =>
        {
            if (store.FindOutbox(request.RequestId) is null) RequireAdmin(await reader.AtHeadAsync());
            var (entry, events) = await call!.Submit(writes, request.RequestId, context.CallerName(), context.CancellationToken);
            var created = events.OfType<ProposalCreatedEvent>().Single();
            var after = await reader.AtHeadAsync();
            return new ProposeResponse { Receipt = WriteSubmission.Receipt(entry),
                Proposal = await GovernanceReader.ProposalAsync(after, created.ProposalId) };
        });
    }

    public override Task<ApproveResponse> Approve(ApproveRequest request, ServerCallContext context) =>
        OnProposalAsync(
            request.RequestId, request.ProposalId, "approve", "Approve", new ApproveFunction { ProposalId = request.ProposalId },
            (view, proposal) =>
            {
                RequireOpen(proposal, view, refuseExpired: true);
                if (proposal.ApprovedBy.Contains(ChecksumAddress.Of(chain.Signer)))
                {
                    throw RpcErrors.GovernanceRefused(StatusCode.AlreadyExists, ErrorReason.AlreadyApproved, "proposal_id",
                        $"{Hex.Address(chain.Signer)} already approved proposal {proposal.ProposalId}; another admin's approval is needed");
                }
            },
            (receipt, proposal) => new ApproveResponse { Receipt = receipt, Proposal = proposal }, context);

    public override Task<WithdrawApprovalResponse> WithdrawApproval(WithdrawApprovalRequest request, ServerCallContext context) =>
        OnProposalAsync(request.RequestId, request.ProposalId, "withdraw an approval of", "WithdrawApproval",
            new WithdrawApprovalFunction { ProposalId = request.ProposalId },
            (view, proposal) =>
            {
                // An expired or queued proposal may still be withdrawn from: the contract allows it, and unqueues a correction
                // that falls below the threshold.
                RequireOpen(proposal, view, refuseExpired: false);
                if (!proposal.ApprovedBy.Contains(ChecksumAddress.Of(chain.Signer)))
                {
                    throw RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, ErrorReason.NotApproved, "proposal_id",
                        $"{Hex.Address(chain.Signer)} has not approved proposal {proposal.ProposalId}, so there is no approval to " +
                        "withdraw");
                }
            },
            (receipt, proposal) => new WithdrawApprovalResponse { Receipt = receipt, Proposal = proposal }, context);

    public override Task<ExecuteProposalResponse> ExecuteProposal(ExecuteProposalRequest request, ServerCallContext context) =>
        OnProposalAsync(
            request.RequestId, request.ProposalId, "execute", "ExecuteProposal",
            new ExecuteProposalFunction { ProposalId = request.ProposalId },
            (view, proposal) =>
            {
                RequireOpen(proposal, view, refuseExpired: false);
                var id = proposal.ProposalId;
                if (!GovernanceReader.IsTimeLocked(proposal.Kind))
                {
                    throw RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, ErrorReason.NotTimeLocked, "proposal_id",
                        $"proposal {id} ({GovernanceReader.Name(proposal.Kind)}) executes when its approvals reach the threshold, not by " +
                            "execute; approve it instead");
                }
                if (proposal.Approvals < proposal.Threshold)
                {
                    throw RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, ErrorReason.ThresholdNotMet, "proposal_id",
                        $"proposal {id} has {proposal.Approvals} of the {proposal.Threshold} approvals it needs",
                        new Dictionary<string, string> { ["approvals"] = $"{proposal.Approvals}",
                            ["threshold"] = $"{proposal.Threshold}" });
                }
                if (proposal.ExecutableAt is null || proposal.ExecutableAt.Seconds > view.Timestamp)
                {
                    var at = proposal.ExecutableAt?.ToDateTimeOffset();
                    throw RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, ErrorReason.TimeLocked, "proposal_id",
                        $"proposal {id} is time-locked until {at:u} (chain time now " +
                            $"{DateTimeOffset.FromUnixTimeSeconds(view.Timestamp):u}): members see a correction coming before it applies",
                        new Dictionary<string, string> { ["executableAt"] = $"{proposal.ExecutableAt?.Seconds ?? 0}" });
                }
            },
            (receipt, proposal) => new ExecuteProposalResponse { Receipt = receipt, Proposal = proposal }, context);

    /// <summary>
    /// One step on an existing proposal (approve, withdraw, execute): checked at the head first, so what the chain would
    /// refuse is refused with its reason and field; a replay of a request already accepted goes straight to the outbox.
    /// </summary>
    private Task<TResponse> OnProposalAsync<TFunction, TResponse>(
        string requestId, ulong proposalId, string verb, string operation, TFunction call,
        Action<GovernanceReader.View, Proposal> precondition,
        Func<WriteReceipt, Proposal?, TResponse> respond, ServerCallContext context)
        where TFunction : FunctionMessage, new()
    {
        var check = new RequestCheck();
        check.RequestId(requestId);
        if (proposalId == 0) check.Add("proposal_id", $"required: the proposal to {verb} (offshore admin proposals)");
        check.ThrowIfAny();
        return AtHead(async () =>
        {
            if (store.FindOutbox(requestId) is null)
            {
                var view = await reader.AtHeadAsync();
                RequireAdmin(view);
                var proposal = await GovernanceReader.ProposalAsync(view, proposalId) ?? throw RpcErrors.GovernanceRefused(
                    StatusCode.NotFound, ErrorReason.ProposalNotFound, "proposal_id", $"no proposal {proposalId}");
                precondition(view, proposal);
            }
            var (entry, _) = await writes.SubmitAsync(requestId, operation, call, context.CallerName(), context.CancellationToken);
            var after = await reader.AtHeadAsync();
            return respond(WriteSubmission.Receipt(entry), await GovernanceReader.ProposalAsync(after, proposalId));
        });
    }

    private void RequireAdmin(GovernanceReader.View view)
    {
        var signer = Hex.Address(chain.Signer);
        if (view.Admins.Contains(signer)) return;
        throw RpcErrors.GovernanceRefused(StatusCode.PermissionDenied, ErrorReason.NotAnAdmin, "x-api-key",
            $"this node signs as {signer}, which is not a consortium admin: only an admin's node can propose or approve",
            new Dictionary<string, string> { ["account"] = signer });
    }

    private static void RequireOpen(Proposal proposal, GovernanceReader.View view, bool refuseExpired)
    {
        var id = proposal.ProposalId;
        switch (proposal.State)
        {
            case ProposalState.Executed:
                throw RpcErrors.GovernanceRefused(
                    StatusCode.FailedPrecondition, ErrorReason.ProposalAlreadyExecuted, "proposal_id",
                    $"proposal {id} has already executed");
            case ProposalState.Stale:
                throw RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, ErrorReason.ProposalStale, "proposal_id",
                    $"proposal {id} was made under another admin set or threshold and can no longer execute; propose it again");
            case ProposalState.Expired when refuseExpired:
                throw RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, ErrorReason.ProposalExpired, "proposal_id",
                    $"proposal {id} passed its deadline {proposal.Deadline?.ToDateTimeOffset():u} (chain time now " +
                        $"{DateTimeOffset.FromUnixTimeSeconds(view.Timestamp):u}); propose it again",
                    new Dictionary<string, string> { ["deadline"] = $"{proposal.Deadline?.Seconds ?? 0}" });
        }
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
