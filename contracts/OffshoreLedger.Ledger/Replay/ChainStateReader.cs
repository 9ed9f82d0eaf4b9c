using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Ledger.Replay;

/// <summary>Reads the ledger's state through the contract's view functions, at one block: all of it, or item by item.</summary>
public static class ChainStateReader
{
    /// <summary>
    /// Reads everything enumerable on chain (members, proposals, titles, lots) plus the keys, anchor roots and
    /// admin candidates named, which mappings cannot enumerate.
    /// </summary>
    public static async Task<LedgerSnapshot> ReadAsync(
        LedgerContract contract,
        IEnumerable<string> keys,
        IEnumerable<(string Root, uint LeafCount, string Submitter)> anchors,
        IEnumerable<string> adminCandidates,
        BlockParameter? block = null,
        IEnumerable<(bool Port, string Code)>? codes = null)
    {
        var (governance, counts) = await ReadGovernanceAsync(contract, block);

        var admins = new List<string>();
        foreach (var candidate in adminCandidates.Distinct())
        {
            if (await IsAdminAsync(contract, candidate, block)) admins.Add(Hex.Address(candidate));
        }

        var memberCount = await MemberCountAsync(contract, block);
        var members = new List<MemberState>();
        for (uint i = 1; i <= memberCount; i++) members.Add(await ReadMemberAsync(contract, i, block));

        var proposals = new List<ProposalState>();
        for (ulong id = 1; id <= governance.ProposalCount; id++) proposals.Add(await ReadProposalAsync(contract, id, block));

        var titles = new List<TitleState>();
        for (ulong id = 1; id <= counts.Titles; id++) titles.Add(await ReadTitleAsync(contract, id, block));

        var keyStates = new List<KeyState>();
        foreach (var key in keys.Distinct()) keyStates.Add(await ReadKeyAsync(contract, key, block));

        var lots = new List<LotState>();
        for (uint i = 1; i <= counts.Lots; i++) lots.Add(await ReadLotAsync(contract, i, block));

        var anchorStates = new List<AnchorState>();
        foreach (var (root, leafCount, submitter) in anchors.Distinct())
        {
            anchorStates.Add(await ReadAnchorAsync(contract, root, leafCount, submitter, block));
        }

        var bindings = new List<CodeBinding>();
        foreach (var (port, code) in (codes ?? []).Distinct()) bindings.Add(await ReadBindingAsync(contract, port, code, block));

        return new LedgerSnapshot(governance, admins, members, proposals, titles, keyStates, lots, anchorStates, counts.Pledges, bindings);
    }

    public static async Task<(GovernanceState Governance, CountsOutput Counts)> ReadGovernanceAsync(
        LedgerContract contract, BlockParameter? block)
    {
        var governance = await contract.QueryAsync<GovernanceFunction, GovernanceOutput>(new(), block);
        var counts = await contract.QueryAsync<CountsFunction, CountsOutput>(new(), block);
        return (new GovernanceState(governance.AdminCount, governance.Threshold, governance.AdminEpoch, governance.ProposalCount), counts);
    }

    public static Task<bool> IsAdminAsync(LedgerContract contract, string account, BlockParameter? block) =>
        contract.QueryValueAsync<IsAdminFunction, bool>(new() { Account = account }, block);

    public static Task<uint> MemberCountAsync(LedgerContract contract, BlockParameter? block) =>
        contract.QueryValueAsync<MemberCountFunction, uint>(new(), block);

    public static async Task<MemberState> ReadMemberAsync(LedgerContract contract, uint index, BlockParameter? block)
    {
        var address = await contract.QueryValueAsync<MemberAtFunction, string>(new() { Index = index }, block);
        var m = await contract.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = address }, block);
        return new MemberState(Hex.Address(address), m.Index, (MemberRoles)m.Roles, m.Active, Hex.Of(m.Organisation));
    }

    public static async Task<ProposalState> ReadProposalAsync(LedgerContract contract, ulong id, BlockParameter? block)
    {
        var p = (await contract.QueryAsync<ProposalFunction, ProposalOutput>(new() { ProposalId = id }, block)).Proposal;
        return new ProposalState(
            id, (ProposalKind)p.Kind, Hex.Address(p.Subject), (MemberRoles)p.Roles, Hex.Of(p.Organisation), p.Threshold,
            Hex.Address(p.Proposer), p.Approvals, p.AdminEpoch, p.Executed, p.Deadline, p.ExecutableAt, Hex.Address(p.Account), p.Amount);
    }

    public static async Task<TitleState> ReadTitleAsync(LedgerContract contract, ulong id, BlockParameter? block)
    {
        var t = await contract.QueryAsync<TitleOfFunction, TitleOutput>(new() { TitleId = id }, block);
        // No such title: nothing more to ask (its further lots would be none).
        if (t.Status == (byte)TitleStatus.None)
        {
            return new TitleState(id, TitleStatus.None, Hex.Address(t.Holder), Hex.Of(t.LotKey), 0, 0, Hex.Address(t.Pledgee), 0);
        }
        var lots = await contract.QueryAsync<TitleLotsFunction, TitleLotsOutput>(new() { TitleId = id }, block);
        var more = string.Join(",", lots.LotKeys.Skip(1).Zip(lots.Quantities.Skip(1), (lot, quantity) => $"{Hex.Of(lot)}:{quantity}"));
        return new TitleState(
            id, (TitleStatus)t.Status, Hex.Address(t.Holder), Hex.Of(t.LotKey), t.Quantity, t.PledgeId, Hex.Address(t.Pledgee),
            t.PledgeExpiry, more);
    }

    public static async Task<KeyState> ReadKeyAsync(LedgerContract contract, string key, BlockParameter? block)
    {
        var k = await contract.QueryAsync<KeyStateFunction, KeyStateOutput>(new() { Key = Hex.Bytes(key) }, block);
        return new KeyState(key, k.TitleId, (TitleStatus)k.TitleStatus, k.PledgeId, Hex.Address(k.Pledgee), k.PledgeExpiry);
    }

    /// <summary>The lot at <paramref name="index"/> (1-based, in order of creation).</summary>
    public static async Task<LotState> ReadLotAsync(LedgerContract contract, uint index, BlockParameter? block) =>
        await ReadLotAsync(contract, await contract.QueryValueAsync<LotKeyAtFunction, byte[]>(new() { Index = index }, block), block);

    /// <summary>The lot <paramref name="lotKey"/> names (zeros if none).</summary>
    public static async Task<LotState> ReadLotAsync(LedgerContract contract, byte[] lotKey, BlockParameter? block)
    {
        var l = await contract.QueryAsync<LotOfFunction, LotOutput>(new() { LotKey = lotKey }, block);
        var locode = await contract.QueryValueAsync<LotPortOfLoadingFunction, byte[]>(new() { LotKey = lotKey }, block);
        return new LotState(
            Hex.Of(lotKey), l.Index, l.Attested, l.OverIssued, Hex.Of(l.Unit), l.AttestedQuantity, l.LiveQuantity, Hex.Address(l.Port),
            l.LoadedAt,
            Hex.Of(l.DocumentHash), LedgerCode.FromBytes(locode));
    }

    /// <summary>
    /// The anchor <paramref name="submitter"/> made of <paramref name="root"/> with <paramref name="leafCount"/> leaves (zeros if none).
    /// </summary>
    public static async Task<AnchorState> ReadAnchorAsync(
        LedgerContract contract, string root, uint leafCount, string submitter, BlockParameter? block)
    {
        var a = await contract.QueryAsync<AnchorOfFunction, AnchorOutput>(
            new() { Root = Hex.Bytes(root), LeafCount = leafCount, Submitter = submitter }, block);
        return new AnchorState(Hex.Normal(root), Hex.Address(submitter), leafCount, a.AnchoredAt, a.BlockNumber);
    }

    /// <summary>The member bound to a carrier code or (<paramref name="port"/>) a UN/LOCODE.</summary>
    public static async Task<CodeBinding> ReadBindingAsync(LedgerContract contract, bool port, string code, BlockParameter? block)
    {
        var member = port
            ? await contract.QueryValueAsync<PortOfFunction, string>(new() { Locode = LedgerCode.ToBytes(code) }, block)
            : await contract.QueryValueAsync<CarrierOfFunction, string>(new() { Code = LedgerCode.ToBytes(code) }, block);
        return new CodeBinding(port, code, Hex.Address(member));
    }
}
