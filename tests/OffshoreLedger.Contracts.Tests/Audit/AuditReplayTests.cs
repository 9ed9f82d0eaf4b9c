using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Audit;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Contracts.Tests.Audit;

/// <summary>The auditor's replay and report on a real chain, driven through the members' own accounts.</summary>
[Collection(ChainCollection.Name)]
public sealed class AuditReplayTests(ChainFixture fixture)
{
    [Fact]
    public async Task Planted_anomalies_of_every_chain_kind_are_found_and_the_state_check_passes()
    {
        var c = await fixture.FreshConsortiumAsync();
        await c.EnrolAsync(c.Outsider, MemberRoles.Bank);
        var bankC = c.Outsider;
        var now = await c.ChainTimeAsync();

        // Rapid cycles: title 1 pledged, released and re-pledged three times within minutes.
        var cycled = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        var p1 = await c.PledgeAsync(c.BankA, [cycled], []);
        await ReleaseAsync(c.BankA, p1.PledgeId, cycled);
        var p2 = await c.PledgeAsync(c.BankB, [cycled], []);
        await ReleaseAsync(c.BankB, p2.PledgeId, cycled);
        var p3 = await c.PledgeAsync(c.BankA, [], ["bl-1"]);

        // Circular transfers: trader → carrier → trader 2 → trader.
        var circled = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-2");
        await c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = circled, NewHolder = c.Carrier.Address });
        await c.Carrier.Ledger.SendAsync(new TransferTitleFunction { TitleId = circled, NewHolder = c.Trader2.Address });
        await c.Trader2.Ledger.SendAsync(new TransferTitleFunction { TitleId = circled, NewHolder = c.Trader.Address });

        // Pledges at many banks: trader 2's titles at banks A, B and C within the hour.
        var spread = new List<ulong>();
        foreach (var (bank, label) in new[] { (c.BankA, "bl-3"), (c.BankB, "bl-4"), (bankC, "bl-5") })
        {
            var title = await TestConsortium.RegisterAsync(c.Trader2, c.Trader2, "lot-2", 10, label);
            await c.PledgeAsync(bank, [title], []);
            spread.Add(title);
            await c.Chain.IncreaseTimeAsync(TimeSpan.FromMinutes(20));
        }

        // A blocked double-financing attempt: bank B reaches for trader 2's title at bank A through its key.
        var blocked = await c.PledgeAsync(c.BankB, [], ["bl-3"]);

        // An over-issued lot: 1,200 t of titles on 2,000 t attested, then a governed correction to 1,000 t loaded.
        await TestConsortium.AttestAsync(c.Port, "lot-over", 2000, now - 3600);
        await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-over", 600, "bl-6");
        await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-over", 600, "bl-7");
        await c.CorrectAsync(new ProposeAttestationCorrectionFunction { LotKey = TestConsortium.Lot("lot-over"), Quantity = 1000 });

        var (replay, report) = await AuditAsync(c);

        var cycle = Assert.Single(report.Anomalies.RapidPledgeCycles);
        Assert.Equal(cycled, cycle.TitleId);
        Assert.Equal([p1.PledgeId, p2.PledgeId, p3.PledgeId], cycle.Pledges.Select(p => p.PledgeId));
        var circle = Assert.Single(report.Anomalies.CircularTransfers);
        Assert.Equal(circled, circle.TitleId);
        Assert.Equal(new[] { c.Trader, c.Carrier, c.Trader2, c.Trader }.Select(a => a.Address.ToLowerInvariant()), circle.Holders);
        var many = Assert.Single(report.Anomalies.PledgesAtManyBanks);
        Assert.Equal(c.Trader2.Address.ToLowerInvariant(), many.Holder);
        Assert.Equal(new[] { c.BankA, c.BankB, bankC }.Select(a => a.Address.ToLowerInvariant()), many.Banks);
        Assert.Equal(spread, many.Pledges.SelectMany(p => p.TitleIds));
        Assert.True(many.SpanHours is > 0.6 and < 0.7, $"span {many.SpanHours} h");

        var attempt = Assert.Single(report.BlockedAttempts);
        Assert.Equal(c.BankB.Address.ToLowerInvariant(), attempt.Bank);
        // Trader 2 consented to both banks for the same title while bank A's pledge was live.
        var twice = Assert.Single(report.Anomalies.ConsentsToManyBanks);
        Assert.Equal((c.Trader2.Address.ToLowerInvariant(), c.BankB.Address.ToLowerInvariant()), (twice.Borrower, twice.Bank));
        Assert.Equal((blocked.Blocked!.ConflictingPledgeId, c.BankA.Address.ToLowerInvariant()), (twice.LivePledgeId, twice.LivePledgee));
        Assert.Equal(blocked.Blocked!.ConflictingPledgeId, attempt.ConflictingPledgeId);
        Assert.Equal(c.BankA.Address.ToLowerInvariant(), attempt.ConflictingPledgee);
        Assert.Equal([spread[0]], attempt.TitlesOfKeys);
        Assert.Equal(Hex.Of(TestConsortium.Key("bl-3")), Assert.Single(attempt.Keys));
        var attemptBlock = await c.Ledger.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(
            new BlockParameter(attempt.At.Block));
        Assert.Equal((long)attemptBlock.Timestamp.Value, attempt.At.Time?.ToUnixTimeSeconds());
        Assert.NotNull(attempt.ConflictingPledgedAt?.Time);

        var lot = Assert.Single(report.OverIssuedLots);
        Assert.Equal(Hex.Of(TestConsortium.Lot("lot-over")), lot.LotKey);
        Assert.Equal((1000UL, 1200UL), (lot.Attested, lot.LiveAtAttestation));
        Assert.Equal(2, lot.LiveTitles.Count);
        // The Markdown report has a row each under its heading.
        var markdown = AuditReportMarkdown.Render(report);
        var blockedRow = Row(MarkdownSection.Of(markdown, "## Blocked double-financing attempts"));
        Assert.StartsWith(
            FormattableString.Invariant($"| {attempt.At.Block:N0} | {attempt.At.Time!.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} | "),
            blockedRow);
        Assert.Contains(FormattableString.Invariant($"`{attempt.Bank}`) | {attempt.ConflictingPledgeId} | "), blockedRow);
        var lotRow = Row(MarkdownSection.Of(markdown, "## Over-issued lots"));
        Assert.Contains(FormattableString.Invariant($" | {lot.Attested:N0} | {lot.LiveAtAttestation:N0} | {lot.Live:N0} | "), lotRow);
        Assert.Contains($"`{lot.Port}`", lotRow);

        Assert.True(report.StateCheck!.Passed, string.Join("\n", report.StateCheck.Mismatches));
        Assert.Equal(1, report.Counts.PledgesBlocked);
        Assert.Equal(replay.Events.Count, report.Counts.EventsByKind.Values.Sum());
    }

    [Fact]
    public async Task A_clean_history_reports_no_anomaly_no_blocked_attempt_and_no_over_issue()
    {
        var c = await fixture.FreshConsortiumAsync();
        await c.EnrolAsync(c.Outsider, MemberRoles.Bank);
        var now = await c.ChainTimeAsync();
        await TestConsortium.AttestAsync(c.Port, "lot-1", 1000, now - 3600);

        // Financed, repaid and refinanced at a week's pace: below the rapid-cycle threshold.
        var financed = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 300, "bl-1", "c-1");
        var first = await c.PledgeAsync(c.BankA, [financed], ["invoice-1"], TimeSpan.FromDays(60));
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromDays(8));
        await ReleaseAsync(c.BankA, first.PledgeId, financed, "invoice-1");
        var second = await c.PledgeAsync(c.BankB, [financed], []);
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromDays(8));
        await ReleaseAsync(c.BankB, second.PledgeId, financed);
        await c.PledgeAsync(c.BankA, [], ["c-1"]);

        // Endorsed onward, and one title back to its first holder only after the 30-day window.
        var sold = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 300, "bl-2");
        await c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = sold, NewHolder = c.Carrier.Address });
        await c.Carrier.Ledger.SendAsync(new TransferTitleFunction { TitleId = sold, NewHolder = c.Trader2.Address });
        var returned = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 100, "bl-3");
        await c.Trader.Ledger.SendAsync(new TransferTitleFunction { TitleId = returned, NewHolder = c.Carrier.Address });
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromDays(31));
        await c.Carrier.Ledger.SendAsync(new TransferTitleFunction { TitleId = returned, NewHolder = c.Trader.Address });

        // Trader 2's titles at three banks, but the third four days after the others.
        var t4 = await TestConsortium.RegisterAsync(c.Trader2, c.Trader2, "lot-2", 10, "bl-4");
        var t5 = await TestConsortium.RegisterAsync(c.Trader2, c.Trader2, "lot-2", 10, "bl-5");
        var t6 = await TestConsortium.RegisterAsync(c.Trader2, c.Trader2, "lot-2", 10, "bl-6");
        await c.PledgeAsync(c.BankA, [t4], []);
        await c.PledgeAsync(c.BankB, [t5], []);
        await c.Chain.IncreaseTimeAsync(TimeSpan.FromDays(4));
        await c.PledgeAsync(c.Outsider, [t6], []);
        await c.Trader.Ledger.SendAsync(new SurrenderTitleFunction { TitleId = returned });

        var (_, report) = await AuditAsync(c);

        Assert.Empty(report.Anomalies.RapidPledgeCycles);
        Assert.Empty(report.Anomalies.CircularTransfers);
        Assert.Empty(report.Anomalies.PledgesAtManyBanks);
        Assert.Empty(report.Anomalies.ConsentsToManyBanks);
        Assert.Null(report.Anomalies.SettlementMismatches);
        Assert.Empty(report.BlockedAttempts);
        Assert.Empty(report.OverIssuedLots);
        var markdown = AuditReportMarkdown.Render(report);
        Assert.Equal("None.", MarkdownSection.Of(markdown, "## Blocked double-financing attempts").Trim());
        Assert.Equal("None.", MarkdownSection.Of(markdown, "## Over-issued lots").Trim());
        Assert.True(report.StateCheck!.Passed, string.Join("\n", report.StateCheck.Mismatches));
        // It was a busy history all the same.
        Assert.Equal(6UL, report.Counts.PledgesGranted);
        Assert.Equal(4, report.Counts.EventsByKind["TitleTransferred"]);
        Assert.Equal(1, report.Counts.TitlesSurrendered);
    }

    [Fact]
    public async Task The_replay_decodes_every_event_type_exactly_as_Nethereum_does()
    {
        var c = await fixture.FreshConsortiumAsync();
        await RebuildFromLogsTests.ScriptedHistoryAsync(c);

        var replayed = (await ReplayAsync(c)).Events;
        var logs = await LedgerEvents.ReadAllLogsAsync(c.Ledger, c.DeploymentBlock);
        var nethereum = logs.Select(LedgerEvents.DecodeWithNethereum).OfType<LedgerEvent>().ToList();
        // The node's sync decodes Nethereum's logs with the same layouts: equal too.
        var synced = LedgerEvents.Decode(logs);
        Assert.Equal(nethereum.Count, synced.Count);
        foreach (var (ours, theirs) in synced.Zip(nethereum)) Assert.Equal(Fields(theirs.Event), Fields(ours.Event));

        Assert.Equal(LedgerEvents.KnownEventCount, replayed.Select(e => e.Event.GetType()).Distinct().Count());
        Assert.Equal(nethereum.Count, replayed.Count);
        foreach (var (ours, theirs) in replayed.Zip(nethereum))
        {
            Assert.Equal(
                (theirs.BlockNumber, theirs.LogIndex, theirs.TransactionHash), (ours.BlockNumber, ours.LogIndex, ours.TransactionHash));
            Assert.Equal(Fields(theirs.Event), Fields(ours.Event));
        }
    }

    [Fact]
    public async Task Two_replays_from_fresh_stores_in_different_windows_agree_on_the_digest_and_the_state()
    {
        var c = await fixture.FreshConsortiumAsync();
        await RebuildFromLogsTests.ScriptedHistoryAsync(c);

        var pipelined = await ReplayAsync(c);
        var blockByBlock = await ReplayAsync(
            c, new ReplayOptions { FromBlock = c.DeploymentBlock, InitialWindowBlocks = 1, TargetLogsPerWindow = 1, Pipelined = false });

        Assert.True(
            blockByBlock.Windows.Count > 3 * pipelined.Windows.Count, $"{blockByBlock.Windows.Count} vs {pipelined.Windows.Count} windows");
        Assert.Equal(pipelined.ToBlock, blockByBlock.ToBlock);
        Assert.Equal(pipelined.Digest, blockByBlock.Digest);
        Assert.Equal(pipelined.Ledger.Snapshot().ToLines(), blockByBlock.Ledger.Snapshot().ToLines());
        Assert.NotSame(pipelined.Ledger, blockByBlock.Ledger);
    }

    [Fact]
    public async Task A_history_that_differs_by_one_event_has_another_digest()
    {
        var c = await fixture.FreshConsortiumAsync();
        var title = await TestConsortium.RegisterAsync(c.Trader, c.Trader, "lot-1", 10, "bl-1");
        await c.PledgeAsync(c.BankA, [title], []);
        var rpc = new RpcClient(new Uri(fixture.Chain.RpcUrl));
        var snapshot = await rpc.SendRequestAsync<string>("evm_snapshot");
        var prefix = await ReplayAsync(c);

        await c.Port.Ledger.SendAsync(new AnchorFunction { Root = TestConsortium.Key("batch"), LeafCount = 12 });
        var one = await ReplayAsync(c);
        Assert.True(await rpc.SendRequestAsync<bool>("evm_revert", null, snapshot));
        // A fresh signer: the port's nonce service still counts the transaction the revert undid.
        var port = c.Port.Ledger.As(fixture.Chain.Web3For(fixture.Chain.Accounts.ToList().FindIndex(a => a.Address == c.Port.Address)));
        await port.SendAsync(new AnchorFunction { Root = TestConsortium.Key("batch"), LeafCount = 13 });
        var other = await ReplayAsync(c);

        // Same length, same blocks, one leaf count apart.
        Assert.Equal((one.Events.Count, one.ToBlock), (other.Events.Count, other.ToBlock));
        Assert.NotEqual(one.Digest, other.Digest);
        Assert.NotEqual(prefix.Digest, one.Digest);
        // The common prefix still agrees.
        Assert.Equal(
            prefix.Digest, (await ReplayAsync(c, new ReplayOptions { FromBlock = c.DeploymentBlock, ToBlock = prefix.ToBlock })).Digest);
    }

    [Fact]
    public async Task Block_times_read_from_headers_equal_those_the_logs_carry_and_only_dated_events_need_them()
    {
        var c = await fixture.FreshConsortiumAsync();
        await RebuildFromLogsTests.ScriptedHistoryAsync(c);

        var fromLogs = await ReplayAsync(c);
        var fromHeaders = await ReplayAsync(c, new ReplayOptions { FromBlock = c.DeploymentBlock, UseLogTimestamps = false });

        Assert.Equal(0, fromLogs.HeadersRead);
        Assert.True(fromHeaders.HeadersRead > 0);
        Assert.Equal(fromLogs.Digest, fromHeaders.Digest);
        foreach (var (logs, headers) in fromLogs.Events.Zip(fromHeaders.Events))
        {
            Assert.NotEqual(0UL, logs.Timestamp);
            var dated = logs.Event is PledgedEvent or ReleasedEvent or PledgeBlockedEvent or TitleTransferredEvent or LotOverIssuedEvent;
            // An undated event shares the time of its block when a dated one in that block fetched it; otherwise none was read.
            Assert.True(
                headers.Timestamp == logs.Timestamp || (!dated && headers.Timestamp == 0),
                $"{logs.Event.GetType().Name} in block {logs.BlockNumber}: {headers.Timestamp} vs {logs.Timestamp}");
        }
        Assert.Contains(fromHeaders.Events, e => e.Timestamp == 0);
        Assert.True(fromHeaders.HeadersRead < fromHeaders.Events.Select(e => e.BlockNumber).Distinct().Count());
    }

    [Fact]
    public async Task The_state_check_finds_a_rebuild_that_missed_one_event_and_reports_its_sample()
    {
        var c = await fixture.FreshConsortiumAsync();
        await RebuildFromLogsTests.ScriptedHistoryAsync(c);
        var replay = await ReplayAsync(c);
        var lastRelease = replay.Events.Last(e => e.Event is ReleasedEvent);
        var released = ((ReleasedEvent)lastRelease.Event).TitleIds.Single();
        var missing = new LedgerProjection();
        missing.ApplyAll(replay.Events.Where(e => e != lastRelease));

        var full = await StateCheck.RunAsync(c.Ledger, replay.Ledger.Snapshot(), replay.ToBlock);
        var wrong = await StateCheck.RunAsync(c.Ledger, missing.Snapshot(), replay.ToBlock);
        var sampled = await StateCheck.RunAsync(
            c.Ledger, missing.Snapshot(), replay.ToBlock, new StateCheckOptions { Sample = 2, Seed = 7 });
        var sampledAgain = await StateCheck.RunAsync(
            c.Ledger, missing.Snapshot(), replay.ToBlock, new StateCheckOptions { Sample = 2, Seed = 7 });

        Assert.True(full.Passed, string.Join("\n", full.Mismatches));
        Assert.Null(full.SampleSize);
        Assert.All(full.Kinds, k => Assert.Equal(k.Population, k.Checked));
        Assert.False(wrong.Passed);
        var title = Assert.Single(wrong.Mismatches, m => m.Kind == "title");
        Assert.Equal(released.ToString(), title.Id);
        Assert.Contains("PledgeId = 0", title.Chain);
        Assert.DoesNotContain("PledgeId = 0", title.Rebuilt);
        // The title's keys show the same lock, each a mismatch of its own.
        Assert.Contains(wrong.Mismatches, m => m.Kind == "key" && m.Id == Hex.Of(TestConsortium.Key("bl-2")));

        Assert.Equal(2, sampled.SampleSize);
        Assert.Equal(7, sampled.Seed);
        var titles = sampled.Kinds.Single(k => k.Kind == "title");
        Assert.Equal((5L, 2L), (titles.Population, titles.Checked));
        Assert.Equal(2, sampled.Kinds.Single(k => k.Kind == "key").Checked);
        Assert.Equal(sampled.Mismatches, sampledAgain.Mismatches);
    }

    private static async Task ReleaseAsync(Actor bank, ulong pledgeId, ulong title, params string[] keys) =>
        await bank.Ledger.SendAsync(
            new ReleaseFunction { PledgeId = pledgeId, TitleIds = [title], Keys = [.. keys.Select(TestConsortium.Key)] });

    private Task<ReplayResult> ReplayAsync(TestConsortium c, ReplayOptions? options = null) =>
        ChainReplay.RunAsync(fixture.Chain.RpcUrl, c.Ledger.Address, options ?? new ReplayOptions { FromBlock = c.DeploymentBlock });

    /// <summary>The one row of a table with one row: the line after the header's rule.</summary>
    private static string Row(string section)
    {
        var lines = section.Split('\n');
        return lines[Array.FindIndex(lines, l => l.StartsWith("|--", StringComparison.Ordinal)) + 1];
    }

    private async Task<(ReplayResult Replay, AuditReport Report)> AuditAsync(TestConsortium c)
    {
        var replay = await ReplayAsync(c);
        var check = await StateCheck.RunAsync(c.Ledger, replay.Ledger.Snapshot(), replay.ToBlock);
        return (replay, LedgerAudit.Analyse(replay, (ulong)fixture.Chain.ChainId, c.Ledger.Address, stateCheck: check));
    }

    /// <summary>Each [Parameter] property as text: addresses case-insensitively, bytes as hex, lists element by element.</summary>
    private static List<string> Fields(IEventDTO e) =>
    [
        .. e.GetType().GetProperties().OrderBy(p => p.Name).Select(p => p.Name + "=" + p.GetValue(e) switch
        {
            string s => s.ToLowerInvariant(),
            byte[] b => Hex.Of(b),
            List<byte[]> list => string.Join(",", list.Select(Hex.Of)),
            List<ulong> list => string.Join(",", list),
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture),
        }),
    ];
}
