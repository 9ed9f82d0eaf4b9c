using System.CommandLine;
using System.Text.Json.Nodes;
using OffshoreLedger.Cli.Output;
using Spectre.Console;

namespace OffshoreLedger.Cli.Commands;

/// <summary>Who the node is and whether it serves.</summary>
public static class NodeCommands
{
    public static Command Build(CliSession session)
    {
        var node = new Command("node", "The node itself: who it signs as, its chain and sync, its health");

        var info = new Command("info", "The node's member address, roles, chain, contract and sync");
        info.SetAction(session.Handle(async (context, ct) =>
        {
            var response = await context.Client.GetNodeInfoAsync(ct);
            var roles = response.Roles.Select(r => Views.Name(r)).ToList();
            var json = new JsonObject
            {
                ["node"] = context.Settings.Node.ToString(),
                ["address"] = response.Address,
                ["organisation"] = Views.Hex(response.Organisation),
                ["roles"] = Views.Array(roles, r => r),
                ["activeMember"] = response.ActiveMember,
                ["chainId"] = response.ChainId,
                ["contractAddress"] = response.ContractAddress,
                ["deploymentBlock"] = response.DeploymentBlock,
                ["syncedBlock"] = response.Synced?.BlockNumber ?? 0,
                ["stale"] = response.Synced?.Stale ?? false,
                ["chainHead"] = response.ChainHead,
                ["chainReachable"] = response.ChainReachable,
                ["confirmationDepth"] = response.ConfirmationDepth,
                ["nodeVersion"] = response.NodeVersion,
            };
            context.Output.Result(json, console =>
            {
                var table = new Table().AddColumn("").AddColumn("").HideHeaders();
                table.AddRow("node", Markup.Escape(context.Settings.Node.ToString()));
                table.AddRow("address", Markup.Escape(response.Address));
                table.AddRow("roles", Markup.Escape(roles.Count == 0 ? "none" : string.Join(", ", roles)));
                table.AddRow("active member", response.ActiveMember ? "[green]yes[/]" : "[red]no[/]");
                table.AddRow("chain", $"{response.ChainId} {(response.ChainReachable ? "[green]reachable[/]" : "[red]unreachable[/]")}, head {response.ChainHead}");
                table.AddRow("contract", $"{Markup.Escape(response.ContractAddress)} (deployed in block {response.DeploymentBlock})");
                table.AddRow("synced", $"block {response.Synced?.BlockNumber} (confirmation depth {response.ConfirmationDepth}){(response.Synced?.Stale == true ? " [yellow]STALE[/]" : "")}");
                table.AddRow("version", Markup.Escape(response.NodeVersion));
                console.Write(table);
            });
            return ExitCodes.Ok;
        }));

        var health = new Command("health", $"The standard gRPC health check (no API key needed); exit code {ExitCodes.NodeUnreachable} unless serving");
        health.SetAction(session.Handle(async (context, ct) =>
        {
            var serving = await context.Client.IsHealthyAsync(ct);
            context.Output.Result(new JsonObject { ["node"] = context.Settings.Node.ToString(), ["serving"] = serving }, console =>
                console.MarkupLine(serving ? "[green]SERVING[/]" : "[red]NOT SERVING[/]"));
            return serving ? ExitCodes.Ok : ExitCodes.NodeUnreachable;
        }));

        node.Add(info);
        node.Add(health);
        return node;
    }
}
