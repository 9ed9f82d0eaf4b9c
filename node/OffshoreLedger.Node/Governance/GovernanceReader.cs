using Google.Protobuf;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;
using ProposalState = OffshoreLedger.Api.V1.ProposalState;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Index;
using ContractProposalKind = OffshoreLedger.Contracts.Bindings.ProposalKind;
using ProposalKind = OffshoreLedger.Api.V1.ProposalKind;

namespace OffshoreLedger.Node.Governance;

/// <summary>
/// Governance as the chain holds it at one block: members, admins, proposals and who approved them. Read at the chain
/// head through views (an admin deciding on a proposal needs the current state, not the index's); the index only
/// names the admin candidates, since the contract keeps no list of admins.
/// </summary>
public sealed class GovernanceReader(LedgerChain chain, LedgerIndex index)
{
    public const int MaxProposalsListed = 200;

    /// <summary>Proposals read when looking for open ones: a consortium makes few, and a list request stays bounded.</summary>
    private const int MaxProposalsScanned = 2_000;

    private static readonly (MemberRoles Flag, MemberRole Role)[] RoleMap =
    [
        (MemberRoles.Bank, MemberRole.Bank), (MemberRoles.Port, MemberRole.Port), (MemberRoles.Trader, MemberRole.Trader),
        (MemberRoles.Carrier, MemberRole.Carrier), (MemberRoles.Auditor, MemberRole.Auditor),
    ];

    /// <summary>One consistent view: the block read, the contract at it, and the governance counters.</summary>
    public sealed record View(LedgerContract Contract, BlockParameter At, ulong BlockNumber, GovernanceOutput Governance, IReadOnlyList<string> Admins);

    public async Task<View> AtHeadAsync()
    {
        var contract = chain.Contract;
        var number = (await chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var at = new BlockParameter(new Nethereum.Hex.HexTypes.HexBigInteger(number));
        var governance = await contract.QueryAsync<GovernanceFunction, GovernanceOutput>(new(), at);
        var candidates = index.Read((ledger, _) => ledger.KnownAdminCandidates().ToList());
        if (!candidates.Contains(Hex.Address(chain.Signer))) candidates.Add(Hex.Address(chain.Signer));
        var admins = new List<string>();
        foreach (var candidate in candidates)
        {
            if (await contract.QueryValueAsync<IsAdminFunction, bool>(new() { Account = candidate }, at)) admins.Add(candidate);
        }
        admins.Sort(StringComparer.Ordinal);
        return new View(contract, at, (ulong)number, governance, admins);
    }

    public static async Task<List<ConsortiumMember>> MembersAsync(View view)
    {
        var count = await view.Contract.QueryValueAsync<MemberCountFunction, uint>(new(), view.At);
        var members = new List<ConsortiumMember>();
        for (uint i = 1; i <= count; i++)
        {
            var address = Hex.Address(await view.Contract.QueryValueAsync<MemberAtFunction, string>(new() { Index = i }, view.At));
            var m = await view.Contract.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = address }, view.At);
            var member = new ConsortiumMember
            {
                Address = address, Index = m.Index, Active = m.Active, Organisation = ByteString.CopyFrom(m.Organisation), Admin = view.Admins.Contains(address),
            };
            member.Roles.AddRange(Roles((MemberRoles)m.Roles));
            members.Add(member);
        }
        return members;
    }

    /// <summary>The proposal as it stands at the view's block, or null if there is none with that id.</summary>
    public static async Task<Proposal?> ProposalAsync(View view, ulong proposalId)
    {
        var p = (await view.Contract.QueryAsync<ProposalFunction, ProposalOutput>(new() { ProposalId = proposalId }, view.At)).Proposal;
        if (p.Kind == (byte)ContractProposalKind.None) return null;
        var kind = (ContractProposalKind)p.Kind;
        var proposal = new Proposal
        {
            ProposalId = proposalId,
            Kind = KindOf(kind),
            Proposer = Hex.Address(p.Proposer),
            Target = p.Subject is null || Hex.Address(p.Subject) == Hex.ZeroAddress ? "" : Hex.Address(p.Subject),
            Organisation = p.Organisation.Any(b => b != 0) ? ByteString.CopyFrom(p.Organisation) : ByteString.Empty,
            Value = kind is ContractProposalKind.SetThreshold or ContractProposalKind.SetMaxPledgeTerm or ContractProposalKind.SetContestPeriod ? p.Threshold : 0,
            Approvals = p.Approvals,
            Threshold = view.Governance.Threshold,
            State = p.Executed ? ProposalState.Executed : p.AdminEpoch != view.Governance.AdminEpoch ? ProposalState.Stale : ProposalState.Open,
        };
        proposal.Roles.AddRange(Roles((MemberRoles)p.Roles));
        foreach (var admin in view.Admins)
        {
            if (await view.Contract.QueryValueAsync<HasApprovedFunction, bool>(new() { ProposalId = proposalId, Admin = admin }, view.At)) proposal.ApprovedBy.Add(admin);
        }
        return proposal;
    }

    public static async Task<List<Proposal>> ProposalsAsync(View view, bool openOnly, int limit)
    {
        var proposals = new List<Proposal>();
        var last = view.Governance.ProposalCount;
        var first = last > MaxProposalsScanned ? last - MaxProposalsScanned + 1 : 1;
        for (var id = last; id >= first && id > 0 && proposals.Count < limit; id--)
        {
            var proposal = await ProposalAsync(view, id);
            if (proposal is null || (openOnly && proposal.State != ProposalState.Open)) continue;
            proposals.Add(proposal);
        }
        return proposals;
    }

    /// <summary>The API's kind for the contract's (named, not numbered: the two enums evolve separately).</summary>
    public static ProposalKind KindOf(ContractProposalKind kind) => kind switch
    {
        ContractProposalKind.EnrolMember => ProposalKind.EnrolMember,
        ContractProposalKind.UpdateMember => ProposalKind.UpdateMember,
        ContractProposalKind.RemoveMember => ProposalKind.RemoveMember,
        ContractProposalKind.AddAdmin => ProposalKind.AddAdmin,
        ContractProposalKind.RemoveAdmin => ProposalKind.RemoveAdmin,
        ContractProposalKind.SetThreshold => ProposalKind.SetThreshold,
        ContractProposalKind.SetMaxPledgeTerm => ProposalKind.SetMaxPledgeTerm,
        ContractProposalKind.SetContestPeriod => ProposalKind.SetContestPeriod,
        _ => ProposalKind.Unspecified,
    };

    public static IEnumerable<MemberRole> Roles(MemberRoles roles) => RoleMap.Where(r => roles.HasFlag(r.Flag)).Select(r => r.Role);

    public static MemberRoles Flags(IEnumerable<MemberRole> roles) =>
        roles.Aggregate(MemberRoles.None, (all, role) => all | RoleMap.First(r => r.Role == role).Flag);
}
