using System.Collections.Concurrent;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Ledger.Audit;

/// <summary>How much of the state to check against the contract's view functions.</summary>
public sealed record StateCheckOptions
{
    /// <summary>
    /// Check at most this many titles, keys, lots and anchors each, drawn at random (seeded); null checks every one.
    /// Governance, counters, admins, members and proposals are always checked in full.
    /// </summary>
    public int? Sample { get; init; }

    /// <summary>The seed of the sample, so another auditor can draw the same one.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>View calls in flight at once.</summary>
    public int Concurrency { get; init; } = 16;
}

/// <summary>How many items of one kind exist (in the rebuilt state or on chain) and how many were checked.</summary>
public sealed record StateCheckKind(string Kind, long Population, long Checked);

/// <summary>One item whose rebuilt state differs from the contract's view of it; "(absent)" where one side has none.</summary>
public sealed record StateMismatch(string Kind, string Id, string Rebuilt, string Chain);

/// <summary>The rebuilt state compared with the contract's view functions at the replay's last block.</summary>
/// <param name="AtBlock">The block both were read at.</param>
/// <param name="SampleSize">The sample size per sampled kind, or null when everything was checked.</param>
/// <param name="Seed">The sample's seed, or null when everything was checked.</param>
/// <param name="Kinds">Per kind of item, the population and how many were checked.</param>
/// <param name="Mismatches">Every item that differs, in kind and id order.</param>
public sealed record StateCheckResult(
    ulong AtBlock, int? SampleSize, int? Seed, IReadOnlyList<StateCheckKind> Kinds, IReadOnlyList<StateMismatch> Mismatches)
{
    public long Checked => Kinds.Sum(k => k.Checked);

    public bool Passed => Mismatches.Count == 0;
}

public sealed record StateCheckProgress(long Checked, long Total);

/// <summary>
/// Checks a rebuilt ledger against the contract's own view functions, item by item, at one block (the replay's last,
/// so writes after it cannot show as differences).
/// </summary>
public static class StateCheck
{
    private const string Absent = "(absent)";

    public static async Task<StateCheckResult> RunAsync(
        LedgerContract contract, LedgerSnapshot rebuilt, ulong atBlock, StateCheckOptions? options = null,
        IProgress<StateCheckProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new StateCheckOptions();
        var block = new BlockParameter(new HexBigInteger(atBlock));
        var (governance, counts) = await ChainStateReader.ReadGovernanceAsync(contract, block);
        var memberCount = await ChainStateReader.MemberCountAsync(contract, block);
        var random = new Random(options.Seed);

        var mismatches = new ConcurrentBag<(int Order, StateMismatch Mismatch)>();
        var kinds = new List<StateCheckKind>();
        var items = new List<(int Order, Func<Task<StateMismatch?>> Check)>();
        void Add<T>(string kind, IReadOnlyList<T> population, bool sampled, Func<T, Task<StateMismatch?>> check)
        {
            var chosen = sampled ? Sample(population, options.Sample, random) : population;
            kinds.Add(new StateCheckKind(kind, population.Count, chosen.Count));
            items.AddRange(chosen.Select(item => (kinds.Count, (Func<Task<StateMismatch?>>)(() => check(item)))));
        }

        var rebuiltCounts = $"Counts {{ Titles = {rebuilt.Titles.Count}, Pledges = {rebuilt.PledgeCount}, Lots = {rebuilt.Lots.Count} }}";
        var chainCounts = $"Counts {{ Titles = {counts.Titles}, Pledges = {counts.Pledges}, Lots = {counts.Lots} }}";
        Add("governance", ["governance", "counts"], false, id => Task.FromResult(id == "governance"
            ? Compare("governance", id, rebuilt.Governance.ToString(), governance.ToString())
            : Compare("governance", id, rebuiltCounts, chainCounts)));

        Add("admin", rebuilt.Admins, false, async admin =>
            Compare("admin", admin, "Admin", await ChainStateReader.IsAdminAsync(contract, admin, block) ? "Admin" : "not an admin"));

        var members = rebuilt.Members.ToDictionary(m => m.Index);
        Add("member", Range(Math.Max((uint)members.Count, memberCount)), false, async index =>
            Compare("member", index.ToString(), members.GetValueOrDefault((uint)index)?.ToString(),
                index <= memberCount ? (await ChainStateReader.ReadMemberAsync(contract, (uint)index, block)).ToString() : null));

        var proposals = rebuilt.Proposals.ToDictionary(p => p.Id);
        Add("proposal", Range(Math.Max((ulong)proposals.Count, governance.ProposalCount)), false, async id =>
            Compare("proposal", id.ToString(), proposals.GetValueOrDefault(id)?.ToString(),
                id <= governance.ProposalCount ? (await ChainStateReader.ReadProposalAsync(contract, id, block)).ToString() : null));

        var titles = rebuilt.Titles.ToDictionary(t => t.Id);
        Add("title", Range(Math.Max((ulong)titles.Count, counts.Titles)), true, async id =>
        {
            var chain = await ChainStateReader.ReadTitleAsync(contract, id, block);
            return Compare(
                "title", id.ToString(), titles.GetValueOrDefault(id)?.ToString(),
                chain.Status == TitleStatus.None ? null : chain.ToString());
        });

        Add("key", rebuilt.Keys, true, async key =>
            Compare("key", key.Key, key.ToString(), (await ChainStateReader.ReadKeyAsync(contract, key.Key, block)).ToString()));

        var lots = rebuilt.Lots.ToDictionary(l => l.Index);
        Add("lot", Range(Math.Max((uint)lots.Count, counts.Lots)), true, async index =>
            Compare("lot", index.ToString(), lots.GetValueOrDefault((uint)index)?.ToString(),
                index <= counts.Lots ? (await ChainStateReader.ReadLotAsync(contract, (uint)index, block)).ToString() : null));

        Add("anchor", rebuilt.Anchors, true, async anchor =>
        {
            var chain = await ChainStateReader.ReadAnchorAsync(contract, anchor.Root, anchor.LeafCount, anchor.Submitter, block);
            return Compare(
                "anchor", $"{anchor.Root}/{anchor.LeafCount}/{anchor.Submitter}", anchor.ToString(),
                chain.AnchoredAt == 0 ? null : chain.ToString());
        });

        long done = 0;
        await Parallel.ForEachAsync(
            items, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (item, _) =>
        {
            if (await item.Check() is { } mismatch) mismatches.Add((item.Order, mismatch));
            var checkedSoFar = Interlocked.Increment(ref done);
            if (progress is not null && (checkedSoFar % 256 == 0 || checkedSoFar == items.Count)) progress.Report(
                new StateCheckProgress(checkedSoFar, items.Count));
        });

        return new StateCheckResult(
            atBlock, options.Sample, options.Sample is null ? null : options.Seed, kinds,
            [.. mismatches.OrderBy(m => m.Order).ThenBy(m => m.Mismatch.Id.Length).ThenBy(m => m.Mismatch.Id, StringComparer.Ordinal)
                .Select(m => m.Mismatch)]);
    }

    private static StateMismatch? Compare(string kind, string id, string? rebuilt, string? chain) =>
        string.Equals(rebuilt, chain, StringComparison.Ordinal) ? null : new StateMismatch(kind, id, rebuilt ?? Absent, chain ?? Absent);

    private static List<ulong> Range(ulong count)
    {
        var list = new List<ulong>((int)count);
        for (ulong i = 1; i <= count; i++) list.Add(i);
        return list;
    }

    /// <summary>
    /// Up to <paramref name="size"/> items drawn without replacement (a partial Fisher–Yates shuffle), in population order.
    /// </summary>
    private static IReadOnlyList<T> Sample<T>(IReadOnlyList<T> population, int? size, Random random)
    {
        if (size is not { } n || n >= population.Count) return population;
        var indices = Enumerable.Range(0, population.Count).ToArray();
        for (var i = 0; i < n; i++)
        {
            var j = random.Next(i, indices.Length);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
        return [.. indices.Take(n).Order().Select(i => population[i])];
    }
}
