using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OffshoreLedger.Cli.Commands;

/// <summary>
/// <c>offshore node status</c>: the operator's view of a node from its management listener (<c>GET /status</c>): sync lag,
/// outbox by state, chain endpoints and recent refusals, refreshed until Ctrl-C; <c>--json</c> prints one snapshot.
/// </summary>
public static class NodeStatusCommand
{
    public const string ManagementVariable = "OFFSHORE_MANAGEMENT";
    public const string DefaultManagement = "http://127.0.0.1:9464";

    public static Command Build(CliSession session)
    {
        var management = new Option<string>("--management")
        {
            Description = $"The node's management listener (Node:Management:Url); default ${ManagementVariable}, else {DefaultManagement}",
            HelpName = "URL",
        };
        var interval = new Option<double>("--interval")
            { Description = "Seconds between refreshes of the live view", DefaultValueFactory = _ => 2, HelpName = "SECONDS" };
        var command = new Command(
            "status",
            "A live view of the node (sync lag, outbox, chain endpoints, recent refusals) until Ctrl-C; --json prints one snapshot")
        {
            management, interval,
        };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var url = context.Get(management) ?? session.Environment.GetValueOrDefault(ManagementVariable) ?? DefaultManagement;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            {
                throw new Input.CliInputException($"--management: '{url}' is not an http(s) URL");
            }
            var seconds = context.Get(interval);
            if (seconds is < 0.1 or > 3600) throw new Input.CliInputException("--interval: give between 0.1 and 3600 seconds");
            using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(5) };

            if (context.Output.Json)
            {
                var snapshot = await FetchAsync(http, context, ct);
                if (snapshot is null) return ExitCodes.NodeUnreachable;
                context.Output.Result(snapshot, _ => { });
                return ExitCodes.Ok;
            }

            var console = context.Output.Console;
            try
            {
                if (console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
                {
                    await console.Live(new Markup("[grey]reading the node's status…[/]")).StartAsync(async live =>
                    {
                        while (!ct.IsCancellationRequested)
                        {
                            var snapshot = await FetchAsync(http, context, ct, quiet: true);
                            live.UpdateTarget(
                                snapshot is null
                                ? new Markup($"[red]management listener unreachable[/] ({Markup.Escape(url)})") : Render(snapshot));
                            await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
                        }
                    });
                }
                else
                {
                    // Not a terminal: one frame after another, so the output can be followed or logged.
                    while (!ct.IsCancellationRequested)
                    {
                        var snapshot = await FetchAsync(http, context, ct);
                        if (snapshot is null) return ExitCodes.NodeUnreachable;
                        console.Write(Render(snapshot));
                        console.WriteLine();
                        await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C ends the live view: that is how it is meant to stop.
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<JsonObject?> FetchAsync(HttpClient http, CommandContext context, CancellationToken ct, bool quiet = false)
    {
        try
        {
            using var response = await http.GetAsync("status", ct);
            response.EnsureSuccessStatusCode();
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            if (!quiet)
            {
                context.Output.Error.MarkupLine(
                    $"[red]node unreachable:[/] the management listener at {Markup.Escape(http.BaseAddress!.ToString())} did not answer " +
                    $"({Markup.Escape(ex.Message)})");
                context.Output.Error.MarkupLine("  [grey]Check --management / OFFSHORE_MANAGEMENT (the node's Node:Management:Url).[/]");
            }
            return null;
        }
    }

    private static IRenderable Render(JsonObject status)
    {
        var sync = status["sync"]!;
        var outbox = status["outbox"]!;
        var ready = status["ready"]!.GetValue<bool>();
        var rows = new List<IRenderable>
        {
            new Markup(
                $"[bold]node status[/] at {Markup.Escape(Text(status["at"]))}: " +
                $"{(ready ? "[green]READY[/]" : $"[red]NOT READY[/] {Markup.Escape(Text(status["readyDetail"]))}")}"),
        };

        var syncTable = new Table().Title("sync").AddColumns("chain head", "index at", "lag (blocks)", "lag (s)", "chain");
        syncTable.AddRow(Text(sync["chainHead"]), Text(sync["syncedBlock"]), Text(sync["lagBlocks"]), Text(sync["lagSeconds"]),
            sync["chainReachable"]!.GetValue<bool>() ? "[green]reachable[/]" : "[red]unreachable[/]");
        rows.Add(syncTable);

        var outboxTable = new Table().Title("outbox").AddColumns("accepted", "signed", "sent", "dead-lettered", "oldest pending (s)");
        var dead = outbox["deadLettered"]!.GetValue<int>();
        outboxTable.AddRow(Text(outbox["accepted"]), Text(outbox["signed"]), Text(outbox["sent"]),
            dead > 0 ? $"[red]{dead}[/]" : "0", Text(outbox["oldestPendingSeconds"]));
        rows.Add(outboxTable);

        var endpoints = new Table().Title("chain endpoints").AddColumns("endpoint", "state");
        foreach (var e in status["chainEndpoints"]!.AsArray())
        {
            endpoints.AddRow(
                Markup.Escape(Text(e!["endpoint"])), e["reachable"]!.GetValue<bool>() ? "[green]reachable[/]" : "[red]unreachable[/]");
        }
        rows.Add(endpoints);

        var refusals = new Table().Title("recent refusals").AddColumns("at", "operation", "reason", "request id", "transaction");
        foreach (var r in status["recentRefusals"]!.AsArray())
        {
            refusals.AddRow(Markup.Escape(Text(r!["at"])), Markup.Escape(Text(r["operation"])), Markup.Escape(Text(r["reason"])),
                Markup.Escape(Text(r["requestId"])), Markup.Escape(Text(r["transactionHash"])));
        }
        if (refusals.Rows.Count == 0) refusals.AddRow("[grey]none[/]", "", "", "", "");
        rows.Add(refusals);
        rows.Add(
            new Markup(
                $"rate-limited calls {Markup.Escape(Text(status["rateLimited"]))} · watchers {Markup.Escape(Text(status["watchers"]))}"));
        return new Rows(rows);
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => node.ToString(),
    };
}
