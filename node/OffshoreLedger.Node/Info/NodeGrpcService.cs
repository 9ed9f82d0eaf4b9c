using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Sync;

namespace OffshoreLedger.Node.Info;

/// <summary>Who this node is and how far it has synced.</summary>
public sealed class NodeGrpcService(
    LedgerIndex index, LedgerChain chain, ChainFollower follower, ChainId chainId, IOptions<ChainOptions> options)
        : NodeService.NodeServiceBase
{
    private static readonly (MemberRoles Flag, MemberRole Role)[] RoleMap =
    [
        (MemberRoles.Bank, MemberRole.Bank), (MemberRoles.Port, MemberRole.Port), (MemberRoles.Trader, MemberRole.Trader),
        (MemberRoles.Carrier, MemberRole.Carrier), (MemberRoles.Auditor, MemberRole.Auditor),
    ];

    public override Task<GetNodeInfoResponse> GetNodeInfo(GetNodeInfoRequest request, ServerCallContext context)
    {
        var (member, name, synced) = index.Read((ledger, s) => (ledger.Member(chain.Signer), ledger.NameOf(chain.Signer), s));
        var response = new GetNodeInfoResponse
        {
            Address = ChecksumAddress.Of(chain.Signer),
            Organisation = member is null ? ByteString.Empty : ByteString.CopyFrom(Hex.Bytes(member.Organisation)),
            ActiveMember = member?.Active ?? false,
            ChainId = chainId.Value,
            ContractAddress = options.Value.ContractAddress ?? "",
            DeploymentBlock = options.Value.DeploymentBlock,
            Synced = BlockStamps.Of(synced),
            ChainHead = follower.ChainHead,
            ChainReachable = follower.ChainReachable,
            ConfirmationDepth = (uint)options.Value.ConfirmationDepth,
            NodeVersion = typeof(NodeGrpcService).Assembly.GetName().Version?.ToString() ?? "",
            OrganisationName = name?.Name ?? "",
            Lei = name?.Lei ?? "",
        };
        if (member is not null) response.Roles.AddRange(RolesOf(member.Roles));
        return Task.FromResult(response);
    }

    public override Task<GetMemberDirectoryResponse> GetMemberDirectory(GetMemberDirectoryRequest request, ServerCallContext context) =>
        Task.FromResult(index.Read((ledger, synced) =>
        {
            var response = new GetMemberDirectoryResponse { Synced = BlockStamps.Of(synced) };
            foreach (var member in ledger.Members().OrderBy(m => m.Index))
            {
                var name = ledger.NameOf(member.Address);
                var entry = new DirectoryEntry { Address = ChecksumAddress.Of(member.Address), Name = name?.Name ?? "",
                    Lei = name?.Lei ?? "", Active = member.Active };
                entry.Roles.AddRange(RolesOf(member.Roles));
                response.Members.Add(entry);
            }
            return response;
        }));

    private static IEnumerable<MemberRole> RolesOf(MemberRoles roles) => RoleMap.Where(r => roles.HasFlag(r.Flag)).Select(r => r.Role);
}
