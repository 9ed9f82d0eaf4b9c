using System.CommandLine;
using System.Text.Json.Nodes;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;
using Spectre.Console;

namespace OffshoreLedger.Cli.Commands;

/// <summary>
/// <c>auditor replay</c>: rebuilds the whole ledger from a chain's JSON-RPC and the contract address alone, with a
/// progress bar, and reports what it found and a digest two auditors can compare.
/// </summary>
public static class ReplayCommand
{
    public static Command Build(CliSession session)
    {
        var rpc = new Option<string>("--rpc") { Description = "The chain's JSON-RPC URL", HelpName = "URL", Required = true };
        var contract = new Option<string>("--contract") { Description = "The OffshoreLedger contract address", HelpName = "ADDRESS", Required = true };
        var from = new Option<ulong>("--from") { Description = "The contract's deployment block (default 0)", HelpName = "BLOCK" };
        var command = new Command("replay", "Rebuild the ledger from the chain alone (no node needed) and report counts, blocked double-financing attempts, over-issued lots and a digest")
        {
            rpc, contract, from,
        };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var address = context.Get(contract)!;
            if (!System.Text.RegularExpressions.Regex.IsMatch(address, "^0x[0-9a-fA-F]{40}$")) throw new CliInputException("--contract: not a 0x-prefixed 20-byte address");
            if (!Uri.TryCreate(context.Get(rpc), UriKind.Absolute, out var url)) throw new CliInputException("--rpc: not an absolute URL");
            var web3 = url.ToString();

            ReplayResult result;
            if (context.Output.Json)
            {
                result = await RunAsync(web3, address, context.Get(from), null, ct);
            }
            else
            {
                ReplayResult? done = null;
                await context.Output.Error.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask("Replaying blocks");
                    done = await RunAsync(web3, address, context.Get(from), new Progress<ReplayProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.ToBlock - p.FromBlock + 1);
                        task.Value = p.Block - p.FromBlock + 1;
                        task.Description = $"Replaying blocks ({p.Events:N0} events)";
                    }), ct);
                });
                result = done!;
            }
            Report(context, result);
            return 0;
        }));
        return command;
    }

    private static async Task<ReplayResult> RunAsync(string web3, string address, ulong from, IProgress<ReplayProgress>? progress, CancellationToken ct)
    {
        try
        {
            return await ChainReplay.RunAsync(web3, address, new ReplayOptions { FromBlock = from }, progress, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new Client.Connection.NodeUnavailableException(Grpc.Core.StatusCode.Unavailable, "CHAIN_UNAVAILABLE", $"The chain did not answer: {ex.Message}", new Dictionary<string, string>(), ex);
        }
    }

    private static void Report(CommandContext context, ReplayResult result)
    {
        var snapshot = result.Ledger.Snapshot();
        var blocked = result.Events.Where(e => e.Event is PledgeBlockedEvent).ToList();
        var overIssued = snapshot.Lots.Where(l => l.OverIssued).ToList();
        var activePledges = snapshot.Titles.Select(t => t.PledgeId).Concat(snapshot.Keys.Select(k => k.PledgeId)).Where(p => p != 0).Distinct().Count();
        var counts = new JsonObject
        {
            ["events"] = result.Events.Count,
            ["members"] = snapshot.Members.Count(m => m.Active),
            ["titlesLive"] = snapshot.Titles.Count(t => t.Status == TitleStatus.Live),
            ["titlesSurrendered"] = snapshot.Titles.Count(t => t.Status == TitleStatus.Surrendered),
            ["pledgesGranted"] = snapshot.PledgeCount,
            ["pledgesActive"] = activePledges,
            ["pledgesBlocked"] = blocked.Count,
            ["lotsAttested"] = snapshot.Lots.Count(l => l.Attested),
            ["lotsOverIssued"] = overIssued.Count,
            ["anchors"] = snapshot.Anchors.Count,
        };
        var json = new JsonObject
        {
            ["toBlock"] = result.ToBlock,
            ["digest"] = result.Digest,
            ["counts"] = counts,
            ["blockedAttempts"] = new JsonArray([.. blocked.Select(e =>
            {
                var b = (PledgeBlockedEvent)e.Event;
                return (JsonNode)new JsonObject
                {
                    ["block"] = (ulong)e.BlockNumber, ["transaction"] = e.TransactionHash, ["bank"] = Hex.Address(b.Bank),
                    ["conflictingPledgeId"] = b.ConflictingPledgeId, ["titleIds"] = new JsonArray([.. b.TitleIds.Select(t => (JsonNode)t)]),
                    ["keys"] = new JsonArray([.. b.Keys.Select(k => (JsonNode)Hex.Of(k))]),
                };
            })]),
            ["overIssuedLots"] = new JsonArray([.. overIssued.Select(l => (JsonNode)new JsonObject
            {
                ["lotKey"] = l.LotKey, ["attested"] = l.AttestedQuantity, ["live"] = l.LiveQuantity,
            })]),
        };
        context.Output.Result(json, console =>
        {
            console.MarkupLine($"Replayed {result.Events.Count:N0} events up to block {result.ToBlock} from the chain alone.");
            console.MarkupLine($"Digest [bold]{result.Digest}[/] [grey](compare it with another auditor's)[/]");
            var table = new Table().AddColumn("What").AddColumn("Count");
            foreach (var (name, value) in counts) table.AddRow(Markup.Escape(name), value!.ToJsonString());
            console.Write(table);
            if (blocked.Count > 0)
            {
                var attempts = new Table().AddColumn("Block").AddColumn("Bank").AddColumn("Blocked by pledge").AddColumn("Titles").AddColumn("Keys");
                foreach (var e in blocked)
                {
                    var b = (PledgeBlockedEvent)e.Event;
                    attempts.AddRow(e.BlockNumber.ToString(), Hex.Address(b.Bank), b.ConflictingPledgeId.ToString(), string.Join(", ", b.TitleIds), b.Keys.Count.ToString());
                }
                console.MarkupLine("[yellow]Blocked double-financing attempts[/]");
                console.Write(attempts);
            }
            foreach (var lot in overIssued)
            {
                console.MarkupLine($"[red]Over-issued lot[/] {lot.LotKey}: attested {lot.AttestedQuantity}, live {lot.LiveQuantity}");
            }
        });
    }
}
