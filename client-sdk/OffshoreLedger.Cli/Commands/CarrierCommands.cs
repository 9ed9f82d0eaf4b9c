using System.CommandLine;
using System.Text.Json.Nodes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Cli.Output;
using OffshoreLedger.Client.Documents;
using Spectre.Console;

namespace OffshoreLedger.Cli.Commands;

/// <summary>
/// The carrier's job: issue the title of a B/L it wrote. Only the carrier member bound to the B/L's carrier code can,
/// and only on a lot its port of loading attested; a trader cannot mint a title for its own paper.
/// </summary>
public static class CarrierCommands
{
    public static Command Build(CliSession session)
    {
        var carrier = new Command(
            "carrier", "Issue cargo titles from the bills of lading this carrier wrote (role CARRIER, bound to the B/L's carrier code)");
        carrier.Add(Issue(session));
        return carrier;
    }

    private static Command Issue(CliSession session)
    {
        var bl = new Option<string>("--bl")
            { Description = "The bill of lading: DCSA eBL 3.0 JSON or the SDK's JSON", HelpName = "FILE", Required = true };
        var format = new Option<string>("--format") { Description = "The file's format; detected when omitted", HelpName = "dcsa|sdk" };
        format.AcceptOnlyFromAmong(DocumentFile.FormatNames);
        var holder = CommonOptions.Address(
            "--holder", "The title's holder, e.g. the shipper or trader the B/L is issued to (0x address of an active member)",
            required: true);
        var command = new Command(
            "issue", "Issue the title of a shipped bill of lading this carrier wrote, on the lot its port of loading attested: its B/L " +
            "and container keys go on chain, never the document") { bl, format, holder };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var file = DocumentFile.Load(context.Get(bl)!, typeOption: null, context.Get(format));
            if (file.Document is not BillOfLading bill) throw new CliInputException(
                $"{file.Path}: is a {file.Description}, not a bill of lading");
            var holderAddress = context.Get(holder)!;
            var response = await context.Client.RegisterTitleAsync(
                new RegisterTitleRequest { Holder = holderAddress, BillOfLading = file.Message }, ct);

            var units = bill.ConsignmentItems.Select(i => i.Quantity.Unit).Distinct().ToList();
            var quantity = units.Count == 1 ? $"{bill.ConsignmentItems.Sum(i => i.Quantity.Value)} {units[0]}" : "";
            var json = new JsonObject
            {
                ["titleId"] = response.TitleId,
                ["holder"] = holderAddress,
                ["billOfLading"] = bill.TransportDocumentReference,
                ["quantity"] = quantity,
                ["keys"] = Views.Array(response.Keys, k => Views.Key(k)),
            };
            Views.AddReceipt(json, response.Receipt);
            context.Output.Result(json, console =>
            {
                console.MarkupLine(
                    $"[green]Title {response.TitleId} issued[/] for B/L {Markup.Escape(bill.TransportDocumentReference)} " +
                    $"({Markup.Escape(quantity)}), holder {Markup.Escape(holderAddress)}");
                console.Write(Views.KeyTable(response.Keys));
                console.MarkupLine(Views.Receipt(response.Receipt));
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}
