using System.CommandLine;
using System.Text.Json.Nodes;
using OffshoreLedger.Api.V1;
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
                ["organisationName"] = response.OrganisationName,
                ["lei"] = response.Lei,
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
                if (response.OrganisationName.Length > 0) table.AddRow("organisation", Markup.Escape(response.OrganisationName));
                if (response.Lei.Length > 0) table.AddRow("LEI", Markup.Escape(response.Lei));
                table.AddRow("address", Markup.Escape(response.Address));
                table.AddRow("roles", Markup.Escape(roles.Count == 0 ? "none" : string.Join(", ", roles)));
                table.AddRow("active member", response.ActiveMember ? "[green]yes[/]" : "[red]no[/]");
                table.AddRow(
                    "chain", $"{response.ChainId} {(response.ChainReachable ? "[green]reachable[/]" : "[red]unreachable[/]")}, head " +
                    $"{response.ChainHead}");
                table.AddRow("contract", $"{Markup.Escape(response.ContractAddress)} (deployed in block {response.DeploymentBlock})");
                table.AddRow(
                    "synced",
                    $"block {response.Synced?.BlockNumber} (confirmation depth " +
                    $"{response.ConfirmationDepth}){(response.Synced?.Stale == true ? " [yellow]STALE[/]" : "")}");
                table.AddRow("version", Markup.Escape(response.NodeVersion));
                console.Write(table);
            });
            return ExitCodes.Ok;
        }));

        var health = new Command(
            "health", $"The standard gRPC health check (no API key needed); exit code {ExitCodes.NodeUnreachable} unless serving");
        health.SetAction(session.Handle(async (context, ct) =>
        {
            var serving = await context.Client.IsHealthyAsync(ct);
            context.Output.Result(new JsonObject { ["node"] = context.Settings.Node.ToString(), ["serving"] = serving }, console =>
                console.MarkupLine(serving ? "[green]SERVING[/]" : "[red]NOT SERVING[/]"));
            return serving ? ExitCodes.Ok : ExitCodes.NodeUnreachable;
        }));

        node.Add(info);
        node.Add(Members(session));
        node.Add(health);
        node.Add(NodeStatusCommand.Build(session));
        node.Add(Writes(session));
        node.Add(RetryWrite(session));
        return node;
    }

    /// <summary>The consortium's members by name (read key): who an address in an answer is.</summary>
    private static Command Members(CliSession session)
    {
        var command = new Command("members", "The consortium's members: display name, LEI, roles and address, as governance recorded them");
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var response = await context.Client.GetMemberDirectoryAsync(ct);
            var json = new JsonObject
            {
                ["members"] = Views.Array(response.Members, m => new JsonObject
                {
                    ["address"] = m.Address, ["name"] = m.Name, ["lei"] = m.Lei, ["roles"] = Views.Array(m.Roles, r => Views.Name(r)),
                    ["active"] = m.Active,
                }),
                ["syncedBlock"] = response.Synced?.BlockNumber ?? 0,
            };
            context.Output.Result(json, console =>
            {
                var table = new Table().AddColumns("name", "LEI", "roles", "address", "state");
                foreach (var m in response.Members)
                {
                    table.AddRow(
                        Markup.Escape(m.Name), Markup.Escape(m.Lei), Markup.Escape(string.Join(", ", m.Roles.Select(r => Views.Name(r)))),
                        Markup.Escape(m.Address), m.Active ? "[green]active[/]" : "[grey]removed[/]");
                }
                console.Write(table);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The node's unfinished writes, for its operators (an admin key).</summary>
    private static Command Writes(CliSession session)
    {
        var deadLettered = new Option<bool>("--dead-lettered")
            { Description = "Only the writes out of line after their attempts (default: every write still in line)" };
        var command = new Command("writes", "The node's unfinished writes, newest first (needs an admin key)") { deadLettered };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var response = await context.Client.ListWritesAsync(
                context.Get(deadLettered) ? WriteFilter.DeadLettered : WriteFilter.Pending, ct);
            var json = new JsonObject
            {
                ["writes"] = Views.Array(response.Writes, w => new JsonObject
                {
                    ["sequence"] = w.Sequence,
                    ["requestId"] = w.RequestId,
                    ["operation"] = w.Operation,
                    ["state"] = Views.Name(w.State),
                    ["deadLettered"] = w.DeadLettered,
                    ["attempts"] = w.Attempts,
                    ["lastFailure"] = w.LastFailure,
                    ["submittedBy"] = w.SubmittedBy,
                    ["acceptedAt"] = Views.Time(w.AcceptedAt),
                    ["transactionHash"] = Views.Hex(w.TransactionHash),
                }),
            };
            context.Output.Result(json, console =>
            {
                if (response.Writes.Count == 0)
                {
                    console.MarkupLine("No such writes.");
                    return;
                }
                var table = new Table().AddColumns("#", "request id", "operation", "state", "attempts", "by", "last failure");
                foreach (var w in response.Writes)
                {
                    table.AddRow(
                        w.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(w.RequestId),
                        Markup.Escape(w.Operation),
                        w.DeadLettered ? "[red]dead-lettered[/]" : Markup.Escape(Views.Name(w.State)),
                        w.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Markup.Escape(w.SubmittedBy), Markup.Escape(w.LastFailure));
                }
                console.Write(table);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command RetryWrite(CliSession session)
    {
        var requestId = new Option<string>("--request-id")
            { Description = "The dead-lettered write to put back in line", HelpName = "ID", Required = true };
        var command = new Command(
            "retry-write",
            "Put a dead-lettered write back in line; it resends the same transaction, never a second one (needs an admin key)")
            { requestId };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var write = (await context.Client.RetryWriteAsync(context.Get(requestId)!, ct)).Write;
            context.Output.Result(
                new JsonObject { ["requestId"] = write.RequestId, ["operation"] = write.Operation, ["deadLettered"] = write.DeadLettered,
                    ["state"] = Views.Name(write.State) },
                console => console.MarkupLine(
                    $"{Markup.Escape(write.Operation)} {Markup.Escape(write.RequestId)}: " +
                    $"{(write.DeadLettered ? "[red]still dead-lettered[/]" : "back in line")}"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
