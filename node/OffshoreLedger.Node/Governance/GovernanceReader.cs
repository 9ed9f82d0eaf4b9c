using ContractProposalKind = OffshoreLedger.Contracts.Bindings.ProposalKind;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Index;
using ProposalKind = OffshoreLedger.Api.V1.ProposalKind;
using ProposalState = OffshoreLedger.Api.V1.ProposalState;

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

    /// <summary>One consistent view: the block read (its number and time), the contract at it, and the governance counters.</summary>
    public sealed record View(
        LedgerContract Contract, BlockParameter At, ulong BlockNumber, long Timestamp, GovernanceOutput Governance,
        IReadOnlyList<string> Admins);

    public async Task<View> AtHeadAsync()
    {
        var contract = chain.Contract;
        var number = (await chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var at = new BlockParameter(new Nethereum.Hex.HexTypes.HexBigInteger(number));
        var block = await chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(at);
        var governance = await contract.QueryAsync<GovernanceFunction, GovernanceOutput>(new(), at);
        var candidates = index.Read((ledger, _) => ledger.KnownAdminCandidates().ToList());
        if (!candidates.Contains(Hex.Address(chain.Signer))) candidates.Add(Hex.Address(chain.Signer));
        var admins = new List<string>();
        foreach (var candidate in candidates)
        {
            if (await contract.QueryValueAsync<IsAdminFunction, bool>(new() { Account = candidate }, at)) admins.Add(candidate);
        }
        admins.Sort(StringComparer.Ordinal);
        return new View(contract, at, (ulong)number, (long)block.Timestamp.Value, governance, admins);
    }

    /// <summary>
    /// The carrier codes and UN/LOCODEs bound at the view's block: the index names every code ever bound (the contract
    /// keeps no list of them), and the chain says which member each is bound to now.
    /// </summary>
    public async Task<List<MemberBinding>> BindingsAsync(View view)
    {
        var codes = index.Read((ledger, _) => ledger.KnownCodes().ToList());
        var bindings = new List<MemberBinding>();
        foreach (var (port, code) in codes.OrderBy(c => c.Port).ThenBy(c => c.Code, StringComparer.Ordinal))
        {
            var bytes = LedgerCode.ToBytes(code);
            var member = Hex.Address(port
                ? await view.Contract.QueryValueAsync<PortOfFunction, string>(new() { Locode = bytes }, view.At)
                : await view.Contract.QueryValueAsync<CarrierOfFunction, string>(new() { Code = bytes }, view.At));
            if (member == Hex.ZeroAddress) continue;
            bindings.Add(
                new MemberBinding { MemberAddress = ChecksumAddress.Of(member),
                Kind = port ? BindingKind.UnLocode : BindingKind.CarrierCode, Code = code });
        }
        return bindings;
    }

    public async Task<List<ConsortiumMember>> MembersAsync(View view, IReadOnlyList<MemberBinding> bindings)
    {
        var count = await view.Contract.QueryValueAsync<MemberCountFunction, uint>(new(), view.At);
        var members = new List<ConsortiumMember>();
        for (uint i = 1; i <= count; i++)
        {
            var address = Hex.Address(await view.Contract.QueryValueAsync<MemberAtFunction, string>(new() { Index = i }, view.At));
            var m = await view.Contract.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = address }, view.At);
            var member = new ConsortiumMember
            {
                Address = ChecksumAddress.Of(address), Index = m.Index, Active = m.Active,
                Organisation = ByteString.CopyFrom(m.Organisation), Admin = view.Admins.Contains(address),
            };
            member.Roles.AddRange(Roles((MemberRoles)m.Roles));
            member.Bindings.AddRange(bindings.Where(b => string.Equals(b.MemberAddress, address, StringComparison.OrdinalIgnoreCase)));
            if (index.Read((ledger, _) => ledger.NameOf(address)) is { } name) (member.OrganisationName, member.Lei) = (name.Name,
                name.Lei);
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
            Proposer = ChecksumAddress.Of(p.Proposer),
            Target = p.Subject is null || Hex.Address(p.Subject) == Hex.ZeroAddress ? "" : ChecksumAddress.Of(p.Subject),
            Value = kind is ContractProposalKind.SetThreshold or ContractProposalKind.SetMaxPledgeTerm
                or ContractProposalKind.SetContestPeriod ? p.Threshold : 0,
            Approvals = p.Approvals,
            Threshold = view.Governance.Threshold,
            Deadline = p.Deadline == 0 ? null : Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds((long)p.Deadline)),
            ExecutableAt = p.ExecutableAt == 0
                ? null : Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds((long)p.ExecutableAt)),
            State = StateOf(p, view),
        };
        // What each kind carries, in the fields the contract's struct shares between kinds.
        switch (kind)
        {
            case ContractProposalKind.EnrolMember or ContractProposalKind.UpdateMember or ContractProposalKind.ReenrolMember:
                proposal.Organisation = ByteString.CopyFrom(p.Organisation);
                proposal.KeepTitles = kind == ContractProposalKind.ReenrolMember && p.Amount != 0;
                var named = await view.Contract.QueryAsync<ProposalNameFunction, ProposalNameOutput>(
                    new() { ProposalId = proposalId }, view.At);
                (proposal.OrganisationName, proposal.Lei) = (named.Name, named.Lei);
                break;
            case ContractProposalKind.BindCarrierCode or ContractProposalKind.BindPortCode:
                proposal.Code = LedgerCode.FromBytes(p.Organisation[..8]);
                break;
            case ContractProposalKind.RotateKey:
                proposal.NewAddress = ChecksumAddress.Of(p.Account);
                break;
            case ContractProposalKind.CorrectAttestation:
                proposal.LotKey = ByteString.CopyFrom(p.Organisation);
                proposal.Quantity = p.Amount;
                break;
            case ContractProposalKind.ClearOverIssue:
                proposal.LotKey = ByteString.CopyFrom(p.Organisation);
                break;
            case ContractProposalKind.VoidTitle:
                proposal.TitleId = p.Amount;
                break;
        }
        proposal.Roles.AddRange(Roles((MemberRoles)p.Roles));
        foreach (var admin in view.Admins)
        {
            if (await view.Contract.QueryValueAsync<HasApprovedFunction, bool>(
                new() { ProposalId = proposalId, Admin = admin }, view.At)) proposal.ApprovedBy.Add(ChecksumAddress.Of(admin));
        }
        return proposal;
    }

    /// <summary>
    /// As the contract decides it: approvals are refused after the deadline, but a correction queued before it may still
    /// execute once its delay has passed (or be withdrawn from).
    /// </summary>
    private static ProposalState StateOf(ProposalStruct p, View view)
    {
        if (p.Executed) return ProposalState.Executed;
        if (p.AdminEpoch != view.Governance.AdminEpoch) return ProposalState.Stale;
        if (p.ExecutableAt != 0) return ProposalState.Queued;
        return p.Deadline != 0 && (ulong)view.Timestamp > p.Deadline ? ProposalState.Expired : ProposalState.Open;
    }

    /// <summary>Kinds that wait <c>CORRECTION_DELAY</c> after their approvals and then need an <c>execute</c>.</summary>
    public static bool IsTimeLocked(ProposalKind kind) =>
        kind is ProposalKind.CorrectAttestation or ProposalKind.ClearOverIssue or ProposalKind.VoidTitle;

    /// <summary>The kind as an admin reads it, e.g. <c>void_title</c>.</summary>
    public static string Name(ProposalKind kind) =>
        kind.ToString() is var name && name.Length > 0
            ? string.Concat(
                name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()))
            : "unspecified";

    public static async Task<List<Proposal>> ProposalsAsync(View view, bool openOnly, int limit)
    {
        var proposals = new List<Proposal>();
        var last = view.Governance.ProposalCount;
        var first = last > MaxProposalsScanned ? last - MaxProposalsScanned + 1 : 1;
        for (var id = last; id >= first && id > 0 && proposals.Count < limit; id--)
        {
            var proposal = await ProposalAsync(view, id);
            if (proposal is null || (openOnly && proposal.State is not (ProposalState.Open or ProposalState.Queued))) continue;
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
        ContractProposalKind.RotateKey => ProposalKind.RotateKey,
        ContractProposalKind.BindCarrierCode => ProposalKind.BindCarrier,
        ContractProposalKind.BindPortCode => ProposalKind.BindPort,
        ContractProposalKind.CorrectAttestation => ProposalKind.CorrectAttestation,
        ContractProposalKind.ClearOverIssue => ProposalKind.ClearOverIssue,
        ContractProposalKind.VoidTitle => ProposalKind.VoidTitle,
        ContractProposalKind.ReenrolMember => ProposalKind.ReenrolMember,
        _ => ProposalKind.Unspecified,
    };

    public static IEnumerable<MemberRole> Roles(MemberRoles roles) => RoleMap.Where(r => roles.HasFlag(r.Flag)).Select(r => r.Role);

    public static MemberRoles Flags(IEnumerable<MemberRole> roles) =>
        roles.Aggregate(MemberRoles.None, (all, role) => all | RoleMap.First(r => r.Role == role).Flag);
}
