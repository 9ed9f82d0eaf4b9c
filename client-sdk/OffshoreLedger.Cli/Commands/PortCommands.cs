using System.CommandLine;
using System.Text.Json.Nodes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Cli.Output;
using Spectre.Console;
using LoadingAttestation = OffshoreLedger.Client.Documents.LoadingAttestation;

namespace OffshoreLedger.Cli.Commands;

/// <summary>The port's job: attest what was loaded, so no lot's titles can exceed it.</summary>
public static class PortCommands
{
    public static Command Build(CliSession session)
    {
        var port = new Command("port", "Attest loadings: titles of a lot can never exceed the attested quantity (role PORT)");
        var file = new Option<string>("--file") { Description = "The loading attestation (SDK JSON)", HelpName = "FILE", Required = true };
        var attest = new Command("attest", "Publish a loading attestation: the lot key, quantity, time and document hash go on chain")
            { file };
        attest.SetAction(session.Handle(async (context, ct) =>
        {
            var document = DocumentFile.Load(context.Get(file)!, typeOption: null);
            if (document.Document is not LoadingAttestation attestation)
            {
                throw new CliInputException($"{document.Path}: is a {document.Description}, not a loading attestation");
            }

            var response = await context.Client.PublishLoadingAttestationAsync(
                new PublishLoadingAttestationRequest { Attestation = document.Message }, ct);
            var json = new JsonObject
            {
                ["attestationReference"] = attestation.AttestationReference,
                ["lotKey"] = Views.Hex(response.LotKey),
                ["quantity"] = attestation.Quantity.Value,
                ["unit"] = attestation.Quantity.Unit,
                ["revealedOverIssue"] = response.RevealedOverIssue,
            };
            Views.AddReceipt(json, response.Receipt);
            context.Output.Result(json, console =>
            {
                console.MarkupLine(
                    $"[green]Loading attested[/]: {Markup.Escape(attestation.AttestationReference)}, {attestation.Quantity.Value} " +
                    $"{Markup.Escape(attestation.Quantity.Unit)} "
                    + $"on vessel IMO {Markup.Escape(attestation.Lot.VesselImoNumber)} voyage " +
                        $"{Markup.Escape(attestation.Lot.VoyageNumber)} at {Markup.Escape(attestation.Lot.PortOfLoading)}");
                console.MarkupLine($"[grey]lot key[/] {Views.Hex(response.LotKey)}");
                if (response.RevealedOverIssue)
                {
                    console.MarkupLine(
                        "[red]OVER-ISSUE REVEALED[/]: live titles of this lot already exceed the attested quantity; none of them can be " +
                        "pledged again.");
                }

                console.MarkupLine(Views.Receipt(response.Receipt));
            });
            return ExitCodes.Ok;
        }));
        port.Add(attest);
        return port;
    }
}
