using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Cli.Output;
using Spectre.Console;

namespace OffshoreLedger.Cli.Commands;

/// <summary>
/// The consortium's governance for its admins, through their own organisation's node and its admin API key: members and
/// proposals, and proposing, approving and withdrawing approvals (M-of-N; a change executes on chain at the threshold).
/// </summary>
public static class AdminCommands
{
    private static readonly Dictionary<string, MemberRole> RoleNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bank"] = MemberRole.Bank, ["port"] = MemberRole.Port, ["trader"] = MemberRole.Trader, ["carrier"] = MemberRole.Carrier,
        ["auditor"] = MemberRole.Auditor,
    };

    public static Command Build(CliSession session)
    {
        var admin = new Command(
            "admin", "Consortium governance through your organisation's node: members, proposals, approvals (needs an admin key of an " +
            "admin's node)");
        admin.Add(Members(session));
        admin.Add(Bindings(session));
        admin.Add(Proposals(session));
        admin.Add(Propose(session));
        admin.Add(Approve(session));
        admin.Add(Withdraw(session));
        admin.Add(Execute(session));
        return admin;
    }

    private static Command Members(CliSession session)
    {
        var command = new Command(
            "members", "Every member ever enrolled, the admins, the threshold and the admin epoch, at the chain head");
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var response = await context.Client.ListMembersAsync(ct);
            var json = new JsonObject
            {
                ["members"] = Views.Array(response.Members, m => new JsonObject
                {
                    ["index"] = m.Index,
                    ["address"] = m.Address,
                    ["roles"] = Views.Array(m.Roles, r => Views.Name(r)),
                    ["active"] = m.Active,
                    ["admin"] = m.Admin,
                    ["organisation"] = Views.Hex(m.Organisation),
                    ["organisationName"] = m.OrganisationName,
                    ["lei"] = m.Lei,
                    ["bindings"] = Views.Array(m.Bindings, b => new JsonObject { ["kind"] = Views.Name(b.Kind), ["code"] = b.Code }),
                }),
                ["admins"] = Views.Array(response.Admins, a => a),
                ["threshold"] = response.Threshold,
                ["adminEpoch"] = response.AdminEpoch,
                ["block"] = response.BlockNumber,
            };
            context.Output.Result(json, console =>
            {
                var table = new Table().AddColumns("#", "organisation", "LEI", "address", "roles", "state", "bindings");
                foreach (var m in response.Members)
                {
                    table.AddRow(
                        m.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(m.OrganisationName), Markup.Escape(m.Lei),
                        Markup.Escape(m.Address),
                        Markup.Escape(string.Join(", ", m.Roles.Select(r => Views.Name(r)))),
                        m.Active ? "[green]active[/]" : "[grey]removed[/]",
                        Markup.Escape(string.Join(", ", m.Bindings.Select(b => b.Code))));
                }
                console.Write(table);
                console.MarkupLine($"[grey]admins[/] {Markup.Escape(string.Join(", ", response.Admins))}");
                console.MarkupLine(
                    $"[grey]threshold[/] {response.Threshold} of {response.Admins.Count} [grey](admin epoch {response.AdminEpoch}, block " +
                    $"{response.BlockNumber})[/]");
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Bindings(CliSession session)
    {
        var command = new Command("bindings", "The carrier codes and UN/LOCODEs bound to members");
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var response = await context.Client.ListBindingsAsync(ct);
            var json = new JsonObject
            {
                ["bindings"] = Views.Array(
                    response.Bindings,
                    b => new JsonObject { ["member"] = b.MemberAddress, ["kind"] = Views.Name(b.Kind), ["code"] = b.Code }),
                ["block"] = response.BlockNumber,
            };
            context.Output.Result(json, console =>
            {
                var table = new Table().AddColumns("member", "kind", "code");
                foreach (var b in response.Bindings) table.AddRow(
                    Markup.Escape(b.MemberAddress), Markup.Escape(Views.Name(b.Kind)), Markup.Escape(b.Code));
                console.Write(table);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Proposals(CliSession session)
    {
        var open = new Option<bool>("--open") { Description = "Only proposals that can still execute" };
        var limit = new Option<uint>("--limit")
            { Description = "At most this many, newest first (default and maximum 200)", HelpName = "N" };
        var command = new Command("proposals", "Proposals, newest first, with approvals, threshold, deadline and state") { open, limit };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var response = await context.Client.ListProposalsAsync(context.Get(open), context.Get(limit), ct);
            var json = new JsonObject
            {
                ["proposals"] = Views.Array(response.Proposals, p => (JsonNode)ProposalJson(p)),
                ["block"] = response.BlockNumber,
            };
            context.Output.Result(json, console =>
            {
                if (response.Proposals.Count == 0)
                {
                    console.MarkupLine("No such proposals.");
                    return;
                }
                var table = new Table().AddColumns("#", "kind", "target", "approvals", "state", "deadline", "proposer");
                foreach (var p in response.Proposals)
                {
                    table.AddRow(
                        p.ProposalId.ToString(CultureInfo.InvariantCulture), Markup.Escape(Views.Name(p.Kind)), Markup.Escape(Target(p)),
                        $"{p.Approvals}/{p.Threshold}", StateMarkup(p.State), p.Deadline is null ? "[grey]none[/]" : Views.Time(p.Deadline),
                        Markup.Escape(p.Proposer));
                }
                console.Write(table);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Propose(CliSession session)
    {
        var propose = new Command(
            "propose", "Propose a governance change; your approval counts at once, the change executes at the threshold");

        var enrol = ChangeCommand(
            "enrol", "Enrol a new member (address, roles, organisation name)", out var enrolAddress, out var roles, out var organisation);
        enrol.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "",
            EnrolMember = new EnrolMember
            {
                Address = context.Get(enrolAddress)!, Roles = { ParseRoles(context.Get(roles)!) },
                OrganisationName = context.Get(organisation)!, Lei = context.Get(Lei) ?? "",
            },
        }, ct)));

        var update = ChangeCommand(
            "update", "Change a member's roles or organisation", out var updateAddress, out var updateRoles, out var updateOrganisation);
        update.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "",
            UpdateMember = new UpdateMember
            {
                Address = context.Get(updateAddress)!, Roles = { ParseRoles(context.Get(updateRoles)!) },
                OrganisationName = context.Get(updateOrganisation)!,
                Lei = context.Get(Lei) ?? "",
            },
        }, ct)));

        var remove = AddressCommand(
            session, "remove", "Remove a member (its index is kept for life)",
            (address, id) => new ProposeRequest { RequestId = id, RemoveMember = new RemoveMember { Address = address } });
        var addAdmin = AddressCommand(
            session, "add-admin", "Add an admin (makes every open proposal stale)",
            (address, id) => new ProposeRequest { RequestId = id, AddAdmin = new AddAdmin { Address = address } });
        var removeAdmin = AddressCommand(
            session, "remove-admin", "Remove an admin (makes every open proposal stale)",
            (address, id) => new ProposeRequest { RequestId = id, RemoveAdmin = new RemoveAdmin { Address = address } });

        var thresholdValue = new Option<uint>("--value")
            { Description = "Distinct admin approvals a proposal will need", HelpName = "N", Required = true };
        var threshold = new Command("threshold", "Change the approvals a proposal needs (makes every open proposal stale)")
            { thresholdValue, RequestId };
        threshold.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "", SetThreshold = new SetThreshold { Threshold = context.Get(thresholdValue) },
        }, ct)));

        var bindAddress = CommonOptions.Address("--address", "The member to bind", required: true);
        var code = new Option<string>("--code")
            { Description = "SCAC or SMDG code (carrier), UN/LOCODE (port)", HelpName = "CODE", Required = true };
        var bindCarrier = new Command("bind-carrier", "Bind a CARRIER member to its carrier code") { bindAddress, code, RequestId };
        bindCarrier.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "",
            BindCarrier = new BindCode { Address = context.Get(bindAddress)!, Code = context.Get(code)! },
        }, ct)));
        var bindPort = new Command("bind-port", "Bind a PORT member to its UN/LOCODE") { bindAddress, code, RequestId };
        bindPort.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "",
            BindPort = new BindCode { Address = context.Get(bindAddress)!, Code = context.Get(code)! },
        }, ct)));

        var newAddress = CommonOptions.Address("--new-address", "The member's new signing address", required: true);
        var rotate = new Command("rotate-key", "Move a member to a new signing key (same index)") { bindAddress, newAddress, RequestId };
        rotate.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "",
            RotateKey = new RotateKey { Address = context.Get(bindAddress)!, NewAddress = context.Get(newAddress)! },
        }, ct)));

        var reenrol = ChangeCommand(
            "reenrol", "Enrol a removed member again, saying what becomes of its titles", out var reenrolAddress, out var reenrolRoles,
            out var reenrolOrganisation);
        var keepTitles = new Option<bool>("--keep-titles")
        {
            Description = "Give it its old index back, so its titles are live for it again (default: a new index, old titles stay frozen)",
        };
        reenrol.Add(keepTitles);
        reenrol.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "",
            ReenrolMember = new ReenrolMember
            {
                Address = context.Get(reenrolAddress)!, Roles = { ParseRoles(context.Get(reenrolRoles)!) },
                OrganisationName = context.Get(reenrolOrganisation)!,
                Lei = context.Get(Lei) ?? "",
                KeepTitles = context.Get(keepTitles),
            },
        }, ct)));

        var lotKey = new Option<string>("--lot-key") { Description = "The lot (32 bytes, 0x-hex)", HelpName = "HEX", Required = true };
        var quantity = new Option<ulong>("--quantity")
            { Description = "The corrected attested quantity; 0 annuls the attestation", HelpName = "N", Required = true };
        var correct = new Command("correct-attestation", "Time-locked: correct an attested lot's quantity") { lotKey, quantity, RequestId };
        correct.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "",
            CorrectAttestation = new CorrectAttestation { LotKey = LotKey(context.Get(lotKey)!), Quantity = context.Get(quantity) },
        }, ct)));
        var clear = new Command("clear-over-issue", "Time-locked: clear a lot's over-issue mark after investigation") { lotKey, RequestId };
        clear.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "", ClearOverIssue = new ClearOverIssue { LotKey = LotKey(context.Get(lotKey)!) },
        }, ct)));
        var title = CommonOptions.Title("The title to void (its keys become free for the genuine issuer)");
        var voidTitle = new Command("void-title", "Time-locked: void a title, e.g. one registered on squatted keys") { title, RequestId };
        voidTitle.SetAction(session.Handle((context, ct) => SendAsync(context, new ProposeRequest
        {
            RequestId = context.Get(RequestId) ?? "", VoidTitle = new VoidTitle { TitleId = context.Get(title) },
        }, ct)));

        foreach (var command in new[] { enrol, reenrol, update, remove, addAdmin, removeAdmin, threshold, bindCarrier, bindPort, rotate,
            correct, clear, voidTitle })
        {
            propose.Add(command);
        }
        return propose;
    }

    private static Command Approve(CliSession session) => ProposalStep(
        session, "approve", "Approve an open proposal; the approval that reaches the threshold executes it", "The proposal to approve",
        "Approved",
        async (client, id, requestId, ct) =>
        {
            var r = await client.ApproveAsync(id, requestId, ct);
            return (r.Proposal, r.Receipt);
        });

    private static Command Withdraw(CliSession session) => ProposalStep(
        session, "withdraw", "Withdraw your approval of an open proposal", "The proposal whose approval to withdraw", "Approval withdrawn",
        async (client, id, requestId, ct) =>
        {
            var r = await client.WithdrawApprovalAsync(id, requestId, ct);
            return (r.Proposal, r.Receipt);
        });

    private static Command Execute(CliSession session) => ProposalStep(
        session, "execute", "Execute a queued (time-locked) correction once its delay has passed", "The queued correction to execute",
        "Executed",
        async (client, id, requestId, ct) =>
        {
            var r = await client.ExecuteProposalAsync(id, requestId, ct);
            return (r.Proposal, r.Receipt);
        });

    /// <summary>A step on one proposal (<c>--proposal ID</c>, <c>--request-id</c>), printed as the proposal after the write.</summary>
    private static Command ProposalStep(
        CliSession session, string name, string description, string proposalDescription, string done,
        Func<Client.Connection.LedgerClient, ulong, string?, CancellationToken, Task<(Proposal? Proposal, WriteReceipt? Receipt)>> step)
    {
        var proposal = ProposalOption(proposalDescription);
        var command = new Command(name, description) { proposal, RequestId };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var (after, receipt) = await step(context.Client, context.Get(proposal), context.Get(RequestId), ct);
            return Written(context, done, after, receipt);
        }));
        return command;
    }

    private static Google.Protobuf.ByteString LotKey(string hex)
    {
        try
        {
            var bytes = Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex);
            if (bytes.Length == 32) return Google.Protobuf.ByteString.CopyFrom(bytes);
        }
        catch (FormatException)
        {
            // Reported below, as for a wrong length.
        }
        throw new CliInputException("--lot-key: must be 32 bytes of 0x-hex", [new("--lot-key", "must be 32 bytes of 0x-hex")]);
    }

    private static readonly Option<string> Lei = new("--lei")
    {
        Description = "The organisation's ISO 17442 Legal Entity Identifier (20 characters, check digits verified)", HelpName = "LEI",
    };

    private static readonly Option<string> RequestId = new("--request-id")
    {
        Description = "Idempotency key: the same id never writes twice (default: a new one)", HelpName = "ID",
    };

    private static Option<ulong> ProposalOption(string description) => new("--proposal")
        { Description = description, HelpName = "ID", Required = true };

    private static Command ChangeCommand(
        string name, string description, out Option<string> address, out Option<string> roles, out Option<string> organisation)
    {
        address = CommonOptions.Address("--address", "The member's signing address", required: true);
        roles = new Option<string>("--roles")
            { Description = "Comma-separated: bank, port, trader, carrier, auditor", HelpName = "ROLES", Required = true };
        organisation = new Option<string>("--organisation")
            { Description = "The organisation's display name, as members will read it (on chain)", HelpName = "NAME", Required = true };
        return new Command(name, description) { address, roles, organisation, Lei, RequestId };
    }

    private static Command AddressCommand(CliSession session, string name, string description, Func<string, string, ProposeRequest> request)
    {
        var address = CommonOptions.Address("--address", "The member or admin", required: true);
        var command = new Command(name, description) { address, RequestId };
        command.SetAction(
            session.Handle((context, ct) => SendAsync(context, request(context.Get(address)!, context.Get(RequestId) ?? ""), ct)));
        return command;
    }

    private static async Task<int> SendAsync(CommandContext context, ProposeRequest request, CancellationToken ct)
    {
        var response = await context.Client.ProposeAsync(request, ct);
        return Written(context, "Proposed", response.Proposal, response.Receipt);
    }

    private static int Written(CommandContext context, string what, Proposal? proposal, WriteReceipt? receipt)
    {
        var json = proposal is null ? new JsonObject() : ProposalJson(proposal);
        Views.AddReceipt(json, receipt);
        json["proposalState"] = proposal is null ? "unspecified" : Views.Name(proposal.State);
        context.Output.Result(json, console =>
        {
            if (proposal is not null)
            {
                console.MarkupLine(
                    $"[green]{what}[/]: proposal {proposal.ProposalId} ({Markup.Escape(Views.Name(proposal.Kind))} " +
                    $"{Markup.Escape(Target(proposal))}), "
                    + $"{proposal.Approvals} of {proposal.Threshold} approvals, {StateMarkup(proposal.State)}");
            }
            console.MarkupLine(Views.Receipt(receipt));
        });
        return ExitCodes.Ok;
    }

    private static JsonObject ProposalJson(Proposal p) => new()
    {
        ["proposalId"] = p.ProposalId,
        ["kind"] = Views.Name(p.Kind),
        ["target"] = p.Target,
        ["roles"] = Views.Array(p.Roles, r => Views.Name(r)),
        ["organisation"] = Views.Hex(p.Organisation),
        ["organisationName"] = p.OrganisationName,
        ["lei"] = p.Lei,
        ["value"] = p.Value,
        ["proposer"] = p.Proposer,
        ["approvals"] = p.Approvals,
        ["approvedBy"] = Views.Array(p.ApprovedBy, a => a),
        ["threshold"] = p.Threshold,
        ["deadline"] = p.Deadline is null ? null : Views.Time(p.Deadline),
        ["executableAt"] = p.ExecutableAt is null ? null : Views.Time(p.ExecutableAt),
        ["lotKey"] = Views.Hex(p.LotKey),
        ["titleId"] = p.TitleId,
        ["newAddress"] = p.NewAddress,
        ["code"] = p.Code,
        ["quantity"] = p.Quantity,
        ["keepTitles"] = p.KeepTitles,
        ["state"] = Views.Name(p.State),
    };

    private static string Target(Proposal p) => p switch
    {
        { OrganisationName.Length: > 0 } => $"{p.OrganisationName} ({p.Target})",
        { Code.Length: > 0 } => $"{p.Code} → {(p.Target.Length > 0 ? p.Target : "unbound")}",
        { Kind: ProposalKind.VoidTitle } => $"title {p.TitleId}",
        { Kind: ProposalKind.CorrectAttestation } => $"lot {Views.Short(p.LotKey)} to {p.Quantity}",
        { Kind: ProposalKind.ClearOverIssue } => $"lot {Views.Short(p.LotKey)}",
        { Kind: ProposalKind.RotateKey } => $"{p.Target} → {p.NewAddress}",
        _ => p.Target.Length > 0 ? p.Target : p.Value.ToString(CultureInfo.InvariantCulture),
    };

    private static string StateMarkup(ProposalState state) => state switch
    {
        ProposalState.Open => "[yellow]open[/]",
        ProposalState.Executed => "[green]executed[/]",
        ProposalState.Stale => "[grey]stale[/]",
        ProposalState.Expired => "[grey]expired[/]",
        ProposalState.Queued => "[yellow]queued[/]",
        _ => Markup.Escape(Views.Name(state)),
    };

    private static IEnumerable<MemberRole> ParseRoles(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !RoleNames.ContainsKey(n)).ToList();
        if (unknown.Count > 0 || names.Length == 0)
        {
            throw new CliInputException(
                "--roles: give one or more of bank, port, trader, carrier, auditor",
                [new("--roles", $"unknown: {string.Join(", ", unknown)}")]);
        }
        return names.Select(n => RoleNames[n]).Distinct();
    }
}
