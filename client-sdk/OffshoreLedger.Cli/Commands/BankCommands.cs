using System.CommandLine;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Cli.Output;
using Spectre.Console;

namespace OffshoreLedger.Cli.Commands;

/// <summary>The bank's job: check collateral, pledge it, release it, read a title's history.</summary>
public static class BankCommands
{
    public static Command Build(CliSession session)
    {
        var bank = new Command(
            "bank", "Check collateral before financing, pledge it, release it, verify a trade, read a title's history (role BANK)");
        bank.Add(Check(session));
        bank.Add(Pledge(session));
        bank.Add(Release(session));
        bank.Add(VerifyTradeCommand.Build(session));
        bank.Add(
            HistoryCommand.Build(
                session, "Every event of a title (or of a collateral key), oldest first: registration, transfers, pledges, blocked " +
                    "pledges, " +
                "releases"));
        return bank;
    }

    private static Command Check(CliSession session)
    {
        var files = CommonOptions.Files("Documents to check (B/L, invoices, settlements); their keys are checked");
        var type = CommonOptions.Type();
        var keys = CommonOptions.Keys("Collateral keys to check (0x-hex, 32 bytes)");
        var titles = CommonOptions.Titles("Title ids to check");
        var local = CommonOptions.Local();
        var chainHead = new Option<bool>("--chain-head")
            { Description = "Ask the chain head (eth_call) instead of the node's index: slower, current to the block" };
        var command = new Command(
            "check", "Is any of this registered, live, pledged (to whom, until when), burned or over-issued? Exit code 0 either way: " +
            "read \"clear\"")
        {
            files, type, keys, titles, local, session.SecretFile, chainHead,
        };
        CommonOptions.RequireOneOf(command, files, keys, titles);
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var collateral = Collateral.Gather(
                context, context.Get(titles), context.Get(keys), context.Get(files), context.Get(type), context.Get(local));
            var request = new CheckCollateralRequest { Consistency = context.Get(chainHead) ? Consistency.ChainHead : Consistency.Index };
            request.TitleIds.AddRange(collateral.TitleIds);
            request.Keys.AddRange(collateral.Keys);
            request.Documents.AddRange(collateral.Documents);
            var response = await context.Client.CheckCollateralAsync(request, ct);
            var labels = await context.LabelsAsync(ct);
            var keyStandings = response.Keys.Select(k => (Standing: k, Key: collateral.Named(k.Key))).ToList();

            var json = new JsonObject
            {
                ["clear"] = response.Clear,
                ["asOfBlock"] = response.AsOf?.BlockNumber ?? 0,
                ["stale"] = response.AsOf?.Stale ?? false,
                ["titles"] = Views.Array(response.Titles, t => new JsonObject
                {
                    ["titleId"] = t.TitleId,
                    ["status"] = Views.Status(t.Status),
                    ["holder"] = t.Holder,
                    ["holderName"] = labels.NameOf(t.Holder),
                    ["quantity"] = t.Quantity,
                    ["unit"] = t.Lot?.Unit ?? "",
                    ["lot"] = t.Lot is null ? null : new JsonObject
                    {
                        ["lotKey"] = Views.Hex(t.Lot.LotKey), ["attested"] = t.Lot.Attested, ["overIssued"] = t.Lot.OverIssued,
                        ["attestedQuantity"] = t.Lot.AttestedQuantity, ["liveQuantity"] = t.Lot.LiveQuantity,
                    },
                    ["lock"] = Views.Lock(t.Lock, labels),
                }),
                ["keys"] = Views.Array(keyStandings, k => new JsonObject
                {
                    ["kind"] = Views.KindName(k.Key.Kind),
                    ["key"] = Views.Hex(k.Key.Value),
                    ["titleId"] = k.Standing.TitleId,
                    ["titleStatus"] = Views.Status(k.Standing.TitleStatus),
                    ["lotOverIssued"] = k.Standing.LotOverIssued,
                    ["lock"] = Views.Lock(k.Standing.Lock, labels),
                }),
            };
            context.Output.Result(json, console =>
            {
                console.MarkupLine(response.Clear
                    ? $"[green]CLEAR[/]: nothing asked about is pledged, burned or in an over-issued lot {Views.AsOf(response.AsOf)}"
                    : $"[red]NOT CLEAR[/]: something asked about is pledged, burned or in an over-issued lot {Views.AsOf(response.AsOf)}");
                if (response.Titles.Count > 0)
                {
                    var table = new Table().AddColumn("Title").AddColumn("Status").AddColumn("Holder").AddColumn("Quantity")
                        .AddColumn("Lot").AddColumn("Financing");
                    foreach (var t in response.Titles)
                    {
                        var lot = t.Lot is null ? "" : t.Lot.OverIssued ? "[red]OVER-ISSUED[/]"
                            : t.Lot.Attested ? $"attested {t.Lot.AttestedQuantity}, live {t.Lot.LiveQuantity}" : "not attested";
                        table.AddRow(
                            t.TitleId.ToString(), Views.Status(t.Status), Markup.Escape(labels.Label(t.Holder)),
                            $"{t.Quantity} {Markup.Escape(t.Lot?.Unit ?? "")}", lot,
                            t.Status == TitleStatus.Unspecified ? "[grey]no such title[/]" : Views.LockText(t.Lock, labels));
                    }

                    console.Write(table);
                }

                if (keyStandings.Count > 0)
                {
                    var table = new Table().AddColumn("Kind").AddColumn("Key").AddColumn("Title").AddColumn("Financing");
                    foreach (var (standing, key) in keyStandings)
                    {
                        var title = standing.TitleId == 0
                            ? "[grey]in no title[/]" : $"{standing.TitleId} " +
                            $"({Views.Status(standing.TitleStatus)}{(standing.LotOverIssued ? ", [red]lot over-issued[/]" : "")})";
                        table.AddRow(
                            Markup.Escape(Views.KindName(key.Kind)), Views.Short(key.Value), title, Views.LockText(standing.Lock, labels));
                    }

                    console.Write(table);
                }
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Pledge(CliSession session)
    {
        var consentFile = new Option<string>("--consent")
            { Description = "The holder's signed consent ('trader consent --out'): its titles, keys and expiry are pledged",
            HelpName = "FILE" };
        var titles = CommonOptions.Titles("Title ids to pledge (with a consent: must be its titles)");
        var files = CommonOptions.Files("Documents whose keys to pledge (invoices, settlements)");
        var type = CommonOptions.Type();
        var keys = CommonOptions.Keys("Collateral keys to pledge (0x-hex, 32 bytes)");
        var local = CommonOptions.Local();
        var reference = new Option<string>("--reference")
            { Description = "The bank's own financing reference; only a keyed commitment to it goes on chain", HelpName = "REF",
            Required = true };
        var expires = new Option<string>("--expires")
            { Description = "When the pledge expires (with a consent: its expiry is used)", HelpName = "DATE" };
        var days = new Option<int?>("--days")
            { Description = "Expire the pledge N days from now (with a consent: its expiry is used)", HelpName = "N" };
        var command = new Command(
            "pledge",
            "Pledge titles, keys or documents to this bank with the holder's consent, all or none. Refused (exit 3) without a valid " +
            "consent, or if any is already pledged: the pledgee and expiry are printed")
        {
            consentFile, titles, files, type, keys, local, session.SecretFile, reference, expires, days,
        };
        CommonOptions.RequireOneOf(command, consentFile, titles, files, keys);
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var consent = context.Get(consentFile) is { } path ? ConsentFile.Read(path) : null;
            var collateral = Collateral.Gather(
                context, context.Get(titles), context.Get(keys), context.Get(files), context.Get(type), context.Get(local));
            var request = new PledgeRequest { FinancingReference = context.Get(reference)!, Consent = consent };
            if (consent is null || context.Get(expires) is not null || context.Get(days) is not null)
            {
                request.ExpiresAt = Timestamp.FromDateTimeOffset(
                    Values.Expiry(context.Get(expires), context.Get(days), DateTimeOffset.UtcNow));
            }
            request.TitleIds.AddRange(collateral.TitleIds);
            request.Keys.AddRange(collateral.Keys);
            request.Documents.AddRange(collateral.Documents);
            var response = await context.Client.PledgeAsync(request, ct);

            var expiresAt = consent?.ExpiresAt ?? request.ExpiresAt;
            var pledgedTitles = consent is null ? collateral.TitleIds : [.. consent.TitleIds];
            var pledgedKeys = consent is null ? collateral.Keys : [.. consent.Keys];
            var json = new JsonObject
            {
                ["pledgeId"] = response.PledgeId,
                ["titleIds"] = Views.Array(pledgedTitles, id => id),
                ["keys"] = Views.Array(pledgedKeys, k => Views.Hex(k)),
                ["documents"] = Views.Array(collateral.Files, f => f.Path),
                ["expiresAt"] = Views.Time(expiresAt),
                ["borrower"] = consent?.Borrower,
            };
            Views.AddReceipt(json, response.Receipt);
            context.Output.Result(json, console =>
            {
                var what = new List<string>();
                if (pledgedTitles.Count > 0) what.Add("title " + string.Join(", ", pledgedTitles));
                if (collateral.Files.Count > 0) what.Add(string.Join(", ", collateral.Files.Select(f => f.Path)));
                if (pledgedKeys.Count > 0) what.Add($"{pledgedKeys.Count} key(s)");
                var borrower = consent is null ? "" : $" with the consent of {consent.Borrower}";
                console.MarkupLine(
                    $"[green]Pledge {response.PledgeId} granted[/]: {Markup.Escape(string.Join("; ", what))}, until " +
                    $"{Views.Time(expiresAt)}{Markup.Escape(borrower)}");
                console.MarkupLine(Views.Receipt(response.Receipt));
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Release(CliSession session)
    {
        var pledge = new Option<ulong>("--pledge") { Description = "The pledge to release from", HelpName = "ID", Required = true };
        var titles = CommonOptions.Titles("Title ids to release");
        var keys = CommonOptions.Keys("Collateral keys to release (0x-hex, 32 bytes)");
        var files = CommonOptions.Files("Documents whose keys to release (asks the node for their keys, or derives them with --local)");
        var type = CommonOptions.Type();
        var local = CommonOptions.Local();
        var command = new Command(
            "release", "End a pledge on some or all of its titles and keys (the pledgee any time; anyone after expiry)")
        {
            pledge, titles, keys, files, type, local, session.SecretFile,
        };
        CommonOptions.RequireOneOf(command, titles, keys, files);
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var collateral = Collateral.Gather(
                context, context.Get(titles), context.Get(keys), context.Get(files), context.Get(type), context.Get(local));
            var request = new ReleaseRequest { PledgeId = context.Get(pledge) };
            request.TitleIds.AddRange(collateral.TitleIds);
            request.Keys.AddRange(collateral.Keys);
            if (collateral.Documents.Count > 0)
            {
                // A release names keys, not documents: the node tells us each document's keys (nothing is written).
                var lookup = new CheckCollateralRequest();
                lookup.Documents.AddRange(collateral.Documents);
                request.Keys.AddRange((await context.Client.CheckCollateralAsync(lookup, ct)).Keys.Select(k => k.Key.Value));
            }

            var response = await context.Client.ReleaseAsync(request, ct);
            var json = new JsonObject
            {
                ["pledgeId"] = request.PledgeId,
                ["titleIds"] = Views.Array(request.TitleIds, id => id),
                ["keys"] = Views.Array(request.Keys, k => Views.Hex(k)),
            };
            Views.AddReceipt(json, response.Receipt);
            context.Output.Result(json, console =>
            {
                console.MarkupLine(
                    $"[green]Released[/] from pledge {request.PledgeId}: {request.TitleIds.Count} title(s), {request.Keys.Count} key(s)");
                console.MarkupLine(Views.Receipt(response.Receipt));
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}

/// <summary><c>history --title ID</c> or <c>history --key HEX</c>, for banks and auditors alike.</summary>
public static class HistoryCommand
{
    public static Command Build(CliSession session, string description)
    {
        var title = new Option<ulong?>("--title") { Description = "The title", HelpName = "ID" };
        var key = new Option<string?>("--key")
        {
            Description = "A collateral key (0x-hex, 32 bytes) instead: every event naming it, an invoice financed on its own included",
            HelpName = "HEX",
        };
        var command = new Command("history", description) { title, key };
        CommonOptions.RequireOneOf(command, title, key);
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var byKey = context.Get(key) is { } hex ? Values.Bytes32(hex, "--key") : null;
            IReadOnlyList<TitleEvent> events;
            BlockStamp? asOf;
            if (byKey is not null)
            {
                var answer = await context.Client.GetKeyHistoryAsync(byKey.ToByteArray(), ct);
                (events, asOf) = (answer.Events, answer.AsOf);
            }
            else
            {
                var answer = await context.Client.GetTitleHistoryAsync(context.Get(title) ?? 0, ct);
                (events, asOf) = (answer.Events, answer.AsOf);
            }
            var labels = await context.LabelsAsync(ct);
            var json = new JsonObject
            {
                [byKey is null ? "titleId" : "key"] = byKey is null ? context.Get(title) : Views.Hex(byKey),
                ["asOfBlock"] = asOf?.BlockNumber ?? 0,
                ["stale"] = asOf?.Stale ?? false,
                ["events"] = Views.Array(events, e => Views.Event(e)),
            };
            context.Output.Result(json, console =>
            {
                var subject = byKey is null ? $"Title {context.Get(title)}" : $"Key {Views.Short(byKey)}";
                console.MarkupLine($"{subject}: {events.Count} event(s) {Views.AsOf(asOf)}");
                var table = new Table().AddColumn("Block").AddColumn("Event").AddColumn("Transaction");
                foreach (var e in events) table.AddRow(
                    e.BlockNumber.ToString(), Views.EventText(e, labels), Views.Short(e.TransactionHash));
                console.Write(table);
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}
