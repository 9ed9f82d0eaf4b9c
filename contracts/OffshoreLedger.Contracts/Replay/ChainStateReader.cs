using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Contracts.Replay;

/// <summary>Reads the ledger's state through the contract's view functions, at one block.</summary>
public static class ChainStateReader
{
    /// <summary>
    /// Reads everything enumerable on chain (members, proposals, titles, lots) plus the keys, anchor roots and
    /// admin candidates named, which mappings cannot enumerate.
    /// </summary>
    public static async Task<LedgerSnapshot> ReadAsync(
        LedgerContract contract,
        IEnumerable<string> keys,
        IEnumerable<string> anchorRoots,
        IEnumerable<string> adminCandidates,
        BlockParameter? block = null)
    {
        var governance = await contract.QueryAsync<GovernanceFunction, GovernanceOutput>(new(), block);
        var counts = await contract.QueryAsync<CountsFunction, CountsOutput>(new(), block);

        var admins = new List<string>();
        foreach (var candidate in adminCandidates.Distinct())
        {
            if (await contract.QueryValueAsync<IsAdminFunction, bool>(new() { Account = candidate }, block)) admins.Add(Hex.Address(candidate));
        }

        var memberCount = await contract.QueryValueAsync<MemberCountFunction, uint>(new(), block);
        var members = new List<MemberState>();
        for (uint i = 1; i <= memberCount; i++)
        {
            var address = await contract.QueryValueAsync<MemberAtFunction, string>(new() { Index = i }, block);
            var m = await contract.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = address }, block);
            members.Add(new MemberState(Hex.Address(address), m.Index, (MemberRoles)m.Roles, m.Active, Hex.Of(m.Organisation)));
        }

        var proposals = new List<ProposalState>();
        for (ulong id = 1; id <= governance.ProposalCount; id++)
        {
            var p = await contract.QueryAsync<ProposalFunction, ProposalOutput>(new() { ProposalId = id }, block);
            proposals.Add(new ProposalState(
                id, (ProposalKind)p.Proposal.Kind, Hex.Address(p.Proposal.Subject), (MemberRoles)p.Proposal.Roles,
                Hex.Of(p.Proposal.Organisation), p.Proposal.Threshold, Hex.Address(p.Proposal.Proposer),
                p.Proposal.Approvals, p.Proposal.AdminEpoch, p.Proposal.Executed));
        }

        var titles = new List<TitleState>();
        for (ulong id = 1; id <= counts.Titles; id++)
        {
            var t = await contract.QueryAsync<TitleOfFunction, TitleOutput>(new() { TitleId = id }, block);
            titles.Add(new TitleState(id, (TitleStatus)t.Status, Hex.Address(t.Holder), Hex.Of(t.LotKey), t.Quantity, t.PledgeId, Hex.Address(t.Pledgee), t.PledgeExpiry));
        }

        var keyStates = new List<KeyState>();
        foreach (var key in keys.Distinct())
        {
            var k = await contract.QueryAsync<KeyStateFunction, KeyStateOutput>(new() { Key = Hex.Bytes(key) }, block);
            keyStates.Add(new KeyState(key, k.TitleId, (TitleStatus)k.TitleStatus, k.PledgeId, Hex.Address(k.Pledgee), k.PledgeExpiry));
        }

        var lots = new List<LotState>();
        for (uint i = 1; i <= counts.Lots; i++)
        {
            var lotKey = await contract.QueryValueAsync<LotKeyAtFunction, byte[]>(new() { Index = i }, block);
            var l = await contract.QueryAsync<LotOfFunction, LotOutput>(new() { LotKey = lotKey }, block);
            lots.Add(new LotState(Hex.Of(lotKey), l.Index, l.Attested, l.OverIssued, Hex.Of(l.Unit), l.AttestedQuantity, l.LiveQuantity, Hex.Address(l.Port), l.LoadedAt, Hex.Of(l.DocumentHash)));
        }

        var anchors = new List<AnchorState>();
        foreach (var root in anchorRoots.Distinct())
        {
            var a = await contract.QueryAsync<AnchorOfFunction, AnchorOutput>(new() { Root = Hex.Bytes(root) }, block);
            anchors.Add(new AnchorState(root, Hex.Address(a.Submitter), a.LeafCount, a.AnchoredAt, a.BlockNumber));
        }

        return new LedgerSnapshot(
            new GovernanceState(governance.AdminCount, governance.Threshold, governance.AdminEpoch, governance.ProposalCount),
            admins, members, proposals, titles, keyStates, lots, anchors, counts.Pledges);
    }
}
