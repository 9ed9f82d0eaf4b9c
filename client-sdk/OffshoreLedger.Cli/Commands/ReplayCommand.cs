using System.CommandLine;
using Nethereum.Web3;
using OffshoreLedger.Cli.Audit;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Contracts;
using OffshoreLedger.Ledger.Audit;
using OffshoreLedger.Ledger.Replay;
using Spectre.Console;

namespace OffshoreLedger.Cli.Commands;

/// <summary>
/// <c>auditor replay</c>: rebuilds the whole ledger from a chain's JSON-RPC and the contract address alone (no node),
/// checks it against the contract's view functions, and reports counts, blocked double-financing attempts, over-issued
/// lots, governance acts (governed corrections applied and not, key rotations, re-enrolments, code bindings), anomalies
/// and a digest two auditors can compare; with the auditee's documents, settlements against invoices.
/// </summary>
public static class ReplayCommand
{
    public static Command Build(CliSession session)
    {
        var rpc = new Option<string>("--rpc") { Description = "The chain's JSON-RPC URL", HelpName = "URL", Required = true };
        var contract = new Option<string>("--contract")
            { Description = "The OffshoreLedger contract address", HelpName = "ADDRESS", Required = true };
        var from = new Option<ulong>("--from") { Description = "The contract's deployment block (default 0)", HelpName = "BLOCK" };
        var to = new Option<ulong?>("--to")
        {
            Description =
                "The last block to replay (default: the head when the replay starts); two auditors compare digests over the same range",
            HelpName = "BLOCK",
        };
        var sample = new Option<int?>("--sample")
        {
            Description =
                "Check at most N titles, keys, lots and anchors each against the contract, drawn at random (seeded); default: every one",
            HelpName = "N",
        };
        var seed = new Option<int>("--seed")
            { Description = "The sample's seed, to draw the same sample again (default 1)", HelpName = "N", DefaultValueFactory = _ => 1 };
        var report = new Option<string>("--report") { Description = "Also write the report as Markdown to FILE", HelpName = "FILE" };
        var documents = new Option<string>("--documents")
        {
            Description = "The auditee's trade documents (SDK JSON invoices and settlement records): match each settlement to its invoices",
            HelpName = "DIR",
        };
        var secret = new Option<string>("--secret", "--secret-file")
        {
            Description =
                $"The consortium secret (hex), to look the documents' keys up on chain [env {ConnectionSettings.SecretFileVariable}; " +
                "config \"consortiumSecretFile\"]",
            HelpName = "FILE",
        };
        var thresholds = new Option<string[]>("--threshold")
        {
            Description =
                $"Change an anomaly threshold, e.g. manyBanksMinimum=4 (repeatable): {string.Join(", ", AnomalyThresholds.Names)}",
            HelpName = "NAME=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command(
            "replay",
            "Rebuild the ledger from the chain alone (no node needed), check it against the contract, and report counts, blocked " +
                "double-financing attempts, over-issued lots, governance acts (corrections applied and not, key rotations, " +
                "re-enrolments, code bindings), anomalies and a digest. Exit code 6 when the state check finds a mismatch")
        {
            rpc, contract, from, to, sample, seed, report, documents, secret, thresholds,
        };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var address = context.Get(contract)!;
            if (!System.Text.RegularExpressions.Regex.IsMatch(address, "^0x[0-9a-fA-F]{40}$")) throw new CliInputException(
                "--contract: not a 0x-prefixed 20-byte address");
            if (!Uri.TryCreate(context.Get(rpc), UriKind.Absolute, out var url)) throw new CliInputException("--rpc: not an absolute URL");
            if (context.Get(sample) is < 1) throw new CliInputException("--sample: at least 1");
            if (context.Get(to) is { } last && last < context.Get(from)) throw new CliInputException("--to: before --from");
            var limits = AnomalyThresholds.Default;
            foreach (var assignment in context.Get(thresholds) ?? [])
            {
                try
                {
                    limits = limits.With(assignment);
                }
                catch (ArgumentException ex)
                {
                    throw new CliInputException($"--threshold: {ex.Message}");
                }
            }
            var auditee = context.Get(documents) is { } folder ? DocumentAudit.Load(folder) : null;
            var consortiumSecret = auditee is null ? null : SecretIfGiven(context, context.Get(secret));

            var range = new ReplayOptions { FromBlock = context.Get(from), ToBlock = context.Get(to) };
            var run = new AuditRun(url, address, range, new StateCheckOptions { Sample = context.Get(sample), Seed = context.Get(seed) });
            if (context.Output.Json)
            {
                await GuardAsync(() => run.ExecuteAsync(null, ct), ct);
            }
            else
            {
                await context.Output.Error.Progress().StartAsync(progress => GuardAsync(() => run.ExecuteAsync(progress, ct), ct));
            }

            var audit = LedgerAudit.Analyse(
                run.Replay!, run.ChainId, address, limits, run.StateCheck,
                auditee is null ? null : history => DocumentAudit.Check(auditee, consortiumSecret, history),
                stateCheckNotRun: run.StateCheckNotRun);
            if (context.Get(report) is { } reportPath)
            {
                try
                {
                    await File.WriteAllTextAsync(reportPath, AuditReportMarkdown.Render(audit), ct);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new CliInputException($"--report: cannot write {reportPath}: {ex.Message}");
                }
            }
            context.Output.Result(AuditReportJson.ToJson(audit), console => Show(console, audit, context.Get(report)));
            return audit.StateCheck is { Passed: false } ? ExitCodes.VerificationFailed : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The replay, then the state check at its last block, each with its own progress bar.</summary>
    private sealed class AuditRun(Uri url, string address, ReplayOptions range, StateCheckOptions stateCheck)
    {
        public ReplayResult? Replay { get; private set; }
        public StateCheckResult? StateCheck { get; private set; }
        public string? StateCheckNotRun { get; private set; }
        public ulong ChainId { get; private set; }

        public async Task ExecuteAsync(ProgressContext? progress, CancellationToken ct)
        {
            using var reader = new EthLogReader(url, address);
            ChainId = await reader.ChainIdAsync(ct);
            var replayTask = progress?.AddTask("Replaying blocks");
            try
            {
                Replay = await ChainReplay.RunAsync(reader, range, Report<ReplayProgress>(p =>
                {
                    replayTask!.MaxValue = Math.Max(1, p.ToBlock - p.FromBlock + 1);
                    replayTask.Value = p.Block - p.FromBlock + 1;
                    replayTask.Description = $"Replaying blocks ({p.Events:N0} events)";
                }, progress), ct);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new CliInputException($"--to: {ex.Message.Split(" (Parameter", 2)[0]}");
            }
            if (replayTask is not null) replayTask.Value = replayTask.MaxValue;

            var checkTask = progress?.AddTask("Checking state against the contract");
            var ledger = new LedgerContract(new Web3(url.ToString()), address);
            try
            {
                StateCheck = await Ledger.Audit.StateCheck.RunAsync(
                    ledger, Replay.Ledger.Snapshot(), Replay.ToBlock, stateCheck, Report<StateCheckProgress>(p =>
                {
                    checkTask!.MaxValue = Math.Max(1, p.Total);
                    checkTask.Value = p.Checked;
                    checkTask.Description = $"Checking state against the contract ({p.Checked:N0} of {p.Total:N0})";
                }, progress), ct);
            }
            catch (Nethereum.JsonRpc.Client.RpcResponseException ex) when (range.ToBlock is not null)
            {
                // A pruning node keeps no state at earlier blocks; the digest over the range still compares.
                StateCheckNotRun =
                    $"the chain did not answer view calls at block {Replay.ToBlock} ({ex.RpcError?.Message ?? ex.Message}); a node that " +
                    "keeps historical state does, or replay to the head";
            }
            if (checkTask is not null) checkTask.Value = checkTask.MaxValue;
        }

        private static IProgress<T>? Report<T>(Action<T> update, ProgressContext? progress) => progress is null
            ? null : new Progress<T>(update);
    }

    private static async Task GuardAsync(Func<Task> call, CancellationToken ct)
    {
        try
        {
            await call();
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or TaskCanceledException
            && !ct.IsCancellationRequested)
        {
            throw new Client.Connection.NodeUnavailableException(
                Grpc.Core.StatusCode.Unavailable, Api.V1.ErrorReasons.Name(Api.V1.ErrorReason.ChainUnavailable),
                $"The chain did not answer: {ex.Message}", new Dictionary<string, string>(), ex);
        }
    }

    private static Client.Keys.ConsortiumSecret? SecretIfGiven(CommandContext context, string? flag)
    {
        var settings = context.Settings with { ConsortiumSecretFile = flag ?? context.Settings.ConsortiumSecretFile };
        return settings.ConsortiumSecretFile is null ? null : settings.LoadConsortiumSecret();
    }

    private static void Show(IAnsiConsole console, AuditReport audit, string? reportPath)
    {
        console.MarkupLine($"Replayed {audit.Counts.Events:N0} events up to block {audit.ToBlock} from the chain alone.");
        console.MarkupLine($"Digest [bold]{audit.Digest}[/] [grey](compare it with another auditor's)[/]");
        if (audit.StateCheck is { } state)
        {
            var sampled = state.SampleSize is { } n ? $", sample of up to {n:N0} per kind, seed {state.Seed}" : ", every item";
            console.MarkupLine(state.Passed
                ? $"[green]State check passed[/]: {state.Checked:N0} items match the contract at block {state.AtBlock}{sampled}."
                : $"[red]State check FAILED[/]: {state.Mismatches.Count:N0} mismatches in {state.Checked:N0} items at block " +
                    $"{state.AtBlock}{sampled}.");
            foreach (var m in state.Mismatches.Take(20))
            {
                console.MarkupLine(
                    $"  [red]{m.Kind} {Markup.Escape(m.Id)}[/]: rebuilt {Markup.Escape(m.Rebuilt)}; chain {Markup.Escape(m.Chain)}");
            }
        }
        else
        {
            console.MarkupLine($"[yellow]State check not run[/]: {Markup.Escape(audit.StateCheckNotRun ?? "")}");
        }

        var counts = AuditReportJson.ToJson(audit)["counts"]!.AsObject();
        var table = new Table().AddColumn("What").AddColumn("Count");
        foreach (var (name, value) in counts)
        {
            if (name != "eventsByKind") table.AddRow(Markup.Escape(name), value!.ToJsonString());
        }
        console.Write(table);

        // Members by name, as the replayed chain records them.
        var names = (audit.Members ?? []).Where(m => m.Name.Length > 0)
            .ToDictionary(m => m.Address, m => new MemberName(m.Name, m.Lei), StringComparer.OrdinalIgnoreCase);
        string Who(string? address) => address is null ? "?" : MemberName.Label(address, names.GetValueOrDefault(address));
        if (audit.BlockedAttempts.Count > 0)
        {
            var attempts = new Table().AddColumn("Block").AddColumn("Bank").AddColumn("Blocked by pledge").AddColumn("Titles")
                .AddColumn("Keys");
            foreach (var attempt in audit.BlockedAttempts)
            {
                attempts.AddRow(
                    attempt.At.Block.ToString(), Markup.Escape(Who(attempt.Bank)),
                    Markup.Escape($"{attempt.ConflictingPledgeId} ({Who(attempt.ConflictingPledgee)})"),
                    string.Join(", ", attempt.TitleIds), attempt.Keys.Count.ToString());
            }
            console.MarkupLine("[yellow]Blocked double-financing attempts[/]");
            console.Write(attempts);
        }
        foreach (var lot in audit.OverIssuedLots)
        {
            console.MarkupLine($"[red]Over-issued lot[/] {lot.LotKey}: attested {lot.Attested}, live {lot.Live}");
        }
        ShowGovernance(console, audit.Governance);

        var a = audit.Anomalies;
        var anomalies = new Table().AddColumn("Anomaly").AddColumn("Found");
        anomalies.AddRow("Rapid pledge cycles", a.RapidPledgeCycles.Count.ToString());
        anomalies.AddRow("Circular transfers", a.CircularTransfers.Count.ToString());
        anomalies.AddRow("Pledges at many banks", a.PledgesAtManyBanks.Count.ToString());
        anomalies.AddRow("Settlement mismatches", a.SettlementMismatches?.Count.ToString() ?? "not checked (no --documents)");
        console.Write(anomalies);
        foreach (var c in a.RapidPledgeCycles) console.MarkupLine(
            $"  [yellow]title {c.TitleId}[/]: {c.Pledges.Count} pledges in {c.SpanHours:0.#} h");
        foreach (var c in a.CircularTransfers) console.MarkupLine(
            $"  [yellow]title {c.TitleId}[/]: {Markup.Escape(string.Join(" → ", c.Holders.Select(Who)))}");
        foreach (var c in a.PledgesAtManyBanks) console.MarkupLine(
            $"  [yellow]{Markup.Escape(Who(c.Holder))}[/]: {c.Banks.Count} banks in {c.SpanHours:0.#} h");
        foreach (var s in a.SettlementMismatches ?? [])
        {
            foreach (var m in s.Mismatches) console.MarkupLine($"  [yellow]settlement {s.Uetr}[/] {m.Field}: {Markup.Escape(m.Reason)}");
        }
        if (reportPath is not null) console.MarkupLine($"Report written to {Markup.Escape(reportPath)}");
    }

    /// <summary>Corrections applied and not applied in full; the other acts counted (the JSON and --report list each).</summary>
    private static void ShowGovernance(IAnsiConsole console, GovernanceActs g)
    {
        var executed = g.Proposals.Count(p => p.State == ProposalStates.Executed);
        console.MarkupLine(
            $"Governance: {g.Proposals.Count:N0} proposals ({executed:N0} executed), {g.Corrections.Count:N0} corrections applied, " +
            $"{g.CorrectionsNotApplied.Count:N0} not applied, {g.KeyRotations.Count:N0} key rotations, {g.Reenrolments.Count:N0} " +
                $"re-enrolments, {g.CodeBindings.Count:N0} code bindings.");
        if (g.Corrections.Count > 0)
        {
            var applied = new Table().AddColumn("Proposal").AddColumn("Kind").AddColumn("Effect").AddColumn("Proposed by")
                .AddColumn("Approved by").AddColumn("Executed (block, tx)");
            foreach (var c in g.Corrections)
            {
                applied.AddRow(
                    c.ProposalId.ToString(), c.Kind, Markup.Escape(Subject(c) + ": " + c.Effect), c.Proposal.Proposer,
                    string.Join("\n", c.Proposal.Approvers),
                    $"{c.Proposal.Executed?.Block} {c.Proposal.Executed?.Transaction}");
            }
            console.MarkupLine("[yellow]Governed corrections applied[/]");
            console.Write(applied);
        }
        if (g.CorrectionsNotApplied.Count > 0)
        {
            var pending = new Table().AddColumn("Proposal").AddColumn("Kind").AddColumn("State").AddColumn("Would")
                .AddColumn("Approved by now");
            foreach (var c in g.CorrectionsNotApplied)
            {
                pending.AddRow(
                    c.ProposalId.ToString(), c.Kind, c.Proposal.State, Markup.Escape(c.Proposal.Summary),
                    string.Join("\n", c.Proposal.Approvers));
            }
            console.MarkupLine("[yellow]Governed corrections NOT applied[/] (proposed, never executed)");
            console.Write(pending);
        }
    }

    private static string Subject(GovernedCorrection c) => c.TitleId is { } title ? $"title {title}" : $"lot {c.LotKey}";
}
