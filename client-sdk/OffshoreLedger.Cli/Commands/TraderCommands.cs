using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Cli.Output;
using OffshoreLedger.Client.Canonical;
using Spectre.Console;

namespace OffshoreLedger.Cli.Commands;

/// <summary>The trader's job: anchor documents, consent to pledges, transfer and surrender titles.</summary>
public static class TraderCommands
{
    public static Command Build(CliSession session)
    {
        var trader = new Command(
            "trader", "Anchor trade documents and prove them, consent to a bank's pledge, transfer and surrender titles (role TRADER)");
        trader.Add(Anchor(session));
        trader.Add(Proof(session));
        trader.Add(Consent(session));
        trader.Add(Transfer(session));
        trader.Add(Surrender(session));
        return trader;
    }

    private static Command Anchor(CliSession session)
    {
        var files = new Argument<string[]>("FILE")
            { Description = "The documents (invoices, settlements, B/Ls, attestations)", Arity = ArgumentArity.OneOrMore };
        var type = CommonOptions.Type();
        var command = new Command(
            "anchor", "Anchor documents: their hashes go into the next Merkle batch on chain; the documents stay with this node")
            { files, type };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var documents = DocumentFile.LoadAll(context.Get(files)!, context.Get(type));
            var request = new AnchorDocumentsRequest();
            request.Documents.AddRange(documents.Select(d => d.Message));
            var response = await context.Client.AnchorDocumentsAsync(request, ct);

            var json = new JsonObject
            {
                ["documents"] = Views.Array(documents.Zip(response.DocumentHashes), d => new JsonObject
                {
                    ["file"] = d.First.Path, ["type"] = d.First.TypeName, ["hash"] = Views.Hex(d.Second),
                }),
                ["merkleRoot"] = Views.Hex(response.MerkleRoot),
            };
            Views.AddReceipt(json, response.Receipt);
            context.Output.Result(json, console =>
            {
                console.MarkupLine($"[green]{documents.Count} document(s) anchored[/] under Merkle root {Views.Hex(response.MerkleRoot)}");
                var table = new Table().AddColumn("File").AddColumn("Type").AddColumn("Document hash");
                foreach (var (document, hash) in documents.Zip(response.DocumentHashes)) table.AddRow(
                    Markup.Escape(document.Path), document.TypeName, Views.Hex(hash));
                console.Write(table);
                console.MarkupLine(Views.Receipt(response.Receipt));
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Proof(CliSession session)
    {
        var file = new Option<string>("--file") { Description = "The anchored document", HelpName = "FILE" };
        var type = CommonOptions.Type();
        var hash = new Option<string>("--hash") { Description = "The anchored document's hash", HelpName = "HEX" };
        var output = new Option<string>("--out")
            { Description = "Also write the proof to this file, to hand to a bank or auditor (auditor verify --proof-file)",
            HelpName = "FILE" };
        var command = new Command("proof", "The inclusion proof of a document this node anchored, for another member to verify")
            { file, type, hash, output };
        CommonOptions.RequireOneOf(command, file, hash);
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var documentHash = context.Get(file) is { } path
                ? DocumentHasher.Hash(DocumentFile.Load(path, context.Get(type)).Document).Value.ToArray()
                : Values.Bytes32(context.Get(hash)!, "--hash").ToByteArray();
            var response = await context.Client.GetDocumentProofAsync(documentHash, ct);
            var proof = ProofFile.ToJson(response.DocumentHash, response.MerkleRoot, response.Proof);
            if (context.Get(output) is { } outPath)
            {
                File.WriteAllText(outPath, proof.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            }

            context.Output.Result(proof, console =>
            {
                console.MarkupLine(
                    $"Document {Views.Hex(response.DocumentHash)} is leaf {response.Proof.LeafIndex} of {response.Proof.TreeSize} under " +
                    $"root {Views.Hex(response.MerkleRoot)}");
                if (context.Get(output) is { } written) console.MarkupLine($"[green]Proof written to[/] {Markup.Escape(written)}");
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Consent(CliSession session)
    {
        var titles = CommonOptions.Titles("Title ids to consent to (held by this organisation)");
        var files = CommonOptions.Files("Documents whose keys to consent to (invoices, settlements)");
        var type = CommonOptions.Type();
        var keys = CommonOptions.Keys("Collateral keys to consent to (0x-hex, 32 bytes)");
        var local = CommonOptions.Local();
        var bank = CommonOptions.Address("--bank", "The bank allowed to pledge (0x address of a BANK member)", required: true);
        var expires = new Option<string>("--expires")
            { Description = "When the pledge expires: a date (end of that day, UTC) or an ISO 8601 timestamp", HelpName = "DATE" };
        var days = new Option<int?>("--days") { Description = "The pledge expires N days from now", HelpName = "N" };
        var financing = new Option<string>("--financing")
            { Description = "Bind the consent to the bank's financing commitment (0x-hex, 32 bytes, from the bank)", HelpName = "HEX" };
        var output = new Option<string>("--out")
            { Description = "Write the signed consent here, for the bank's 'bank pledge --consent'", HelpName = "FILE", Required = true };
        var command = new Command(
            "consent",
            "Sign this organisation's consent to one bank's pledge of exactly these titles, keys or documents (nothing goes on chain " +
            "until the bank pledges)")
        {
            titles, files, type, keys, local, session.SecretFile, bank, expires, days, financing, output,
        };
        CommonOptions.RequireOneOf(command, titles, files, keys);
        CommonOptions.RequireOneOf(command, expires, days);
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var expiry = Values.Expiry(context.Get(expires), context.Get(days), DateTimeOffset.UtcNow);
            var collateral = Collateral.Gather(
                context, context.Get(titles), context.Get(keys), context.Get(files), context.Get(type), context.Get(local));
            var request = new SignPledgeConsentRequest
            {
                Bank = context.Get(bank)!,
                ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(expiry),
                FinancingCommitment = context.Get(financing) is { } hex
                    ? Values.Bytes32(hex, "--financing") : Google.Protobuf.ByteString.Empty,
            };
            request.TitleIds.AddRange(collateral.TitleIds);
            request.Keys.AddRange(collateral.Keys);
            request.Documents.AddRange(collateral.Documents);
            var consent = (await context.Client.SignPledgeConsentAsync(request, ct)).Consent;
            ConsentFile.Write(context.Get(output)!, consent);

            var json = ConsentFile.Summary(consent);
            json["file"] = context.Get(output);
            context.Output.Result(json, console =>
            {
                console.MarkupLine(
                    $"[green]Consent signed[/] for bank {Markup.Escape(consent.Bank)}: title {string.Join(", ", consent.TitleIds)}"
                    + $"{(consent.Keys.Count > 0 ? $", {consent.Keys.Count} key(s)" : "")}, until {Views.Time(consent.ExpiresAt)}");
                console.MarkupLine(
                    $"Nonce {consent.Nonce}; the bank must pledge by {Views.Time(consent.Deadline)}. Written to " +
                    $"{Markup.Escape(context.Get(output)!)}");
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Transfer(CliSession session)
    {
        var title = CommonOptions.Title("The title to endorse");
        var to = CommonOptions.Address("--to", "The new holder (0x address of an active member)", required: true);
        var command = new Command("transfer", "Endorse a title to a new holder (while pledged, only the pledgee may)") { title, to };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var response = await context.Client.TransferTitleAsync(
                new TransferTitleRequest { TitleId = context.Get(title), NewHolder = context.Get(to)! }, ct);
            var json = new JsonObject { ["titleId"] = context.Get(title), ["newHolder"] = context.Get(to) };
            Views.AddReceipt(json, response.Receipt);
            context.Output.Result(json, console =>
            {
                console.MarkupLine($"[green]Title {context.Get(title)} transferred[/] to {Markup.Escape(context.Get(to)!)}");
                console.MarkupLine(Views.Receipt(response.Receipt));
            });
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Surrender(CliSession session)
    {
        var title = CommonOptions.Title("The accomplished title to surrender");
        var command = new Command("surrender", "Surrender an accomplished title: its keys are burned for good") { title };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var response = await context.Client.SurrenderTitleAsync(new SurrenderTitleRequest { TitleId = context.Get(title) }, ct);
            var json = new JsonObject { ["titleId"] = context.Get(title) };
            Views.AddReceipt(json, response.Receipt);
            context.Output.Result(json, console =>
            {
                console.MarkupLine($"[green]Title {context.Get(title)} surrendered[/]; its keys can never be registered again");
                console.MarkupLine(Views.Receipt(response.Receipt));
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}
