using System.CommandLine;
using System.Text.Json.Nodes;
using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Cli.Output;
using OffshoreLedger.Client.Canonical;
using Spectre.Console;
using ClientDocumentType = OffshoreLedger.Client.Documents.TradeDocumentType;

namespace OffshoreLedger.Cli.Commands;

/// <summary>
/// <c>bank verify-trade</c>: does an offshore resale's order flow (invoices), goods flow (B/L, port attestation) and
/// capital flow (settlements) agree with each other and with the ledger? Prints every check with its evidence.
/// </summary>
public static class VerifyTradeCommand
{
    public static Command Build(CliSession session)
    {
        var purchase = new Option<string>("--purchase-invoice")
            { Description = "The trader's purchase invoice (from the supplier)", HelpName = "FILE" };
        var sale = new Option<string>("--sales-invoice") { Description = "The trader's sales invoice (to the buyer)", HelpName = "FILE" };
        var bill = new Option<string>("--bl")
            { Description = "The bill of lading (DCSA eBL 3.0 or SDK JSON)", HelpName = "FILE", Required = true };
        var attestation = new Option<string>("--attestation")
            { Description = "The port's loading attestation (optional: the one on chain is found from the B/L)", HelpName = "FILE" };
        var settlements = new Option<string[]>("--settlement")
            { Description = "Settlement records of either leg (repeatable)", HelpName = "FILE", AllowMultipleArgumentsPerToken = true };
        var proofs = new Option<string[]>("--proof-file")
        {
            Description =
                "Proofs of documents another member anchored, as written by 'trader proof --out' (repeatable; matched to the documents " +
                "by hash, others ignored)",
            HelpName = "FILE",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command(
            "verify-trade",
            "Verify a resale's three flows — invoices, B/L and port attestation, settlements — against each other and the ledger. " +
            "Exit " +
            "code 6 when the verdict is FAIL")
        {
            purchase, sale, bill, attestation, settlements, proofs,
        };
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var handedOver = HandedOverProofs(context.Get(proofs) ?? []);
            TradeDocumentRef? Reference(string? path, ClientDocumentType expected, string option) =>
                Load(path, expected, option, handedOver);
            var request = new VerifyTradeRequest
            {
                PurchaseInvoice = Reference(context.Get(purchase), ClientDocumentType.CommercialInvoice, "--purchase-invoice"),
                SalesInvoice = Reference(context.Get(sale), ClientDocumentType.CommercialInvoice, "--sales-invoice"),
                BillOfLading = Reference(context.Get(bill), ClientDocumentType.BillOfLading, "--bl"),
                LoadingAttestation = Reference(context.Get(attestation), ClientDocumentType.LoadingAttestation, "--attestation"),
            };
            request.Settlements.AddRange(
                (context.Get(settlements) ?? []).Select(f => Reference(f, ClientDocumentType.SettlementRecord, "--settlement")!));
            var response = await context.Client.VerifyTradeAsync(request, ct);
            Report(context, response);
            return response.Verdict == CheckOutcome.Fail ? ExitCodes.VerificationFailed : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A proof handed over by a document's owner, keyed by the document's hash.</summary>
    private sealed record HandedOverProof(ByteString MerkleRoot, InclusionProof Proof);

    private static Dictionary<ByteString, HandedOverProof> HandedOverProofs(IEnumerable<string> paths)
    {
        var proofs = new Dictionary<ByteString, HandedOverProof>();
        foreach (var path in paths)
        {
            var (hash, root, proof) = ProofFile.Read(path);
            if (hash is null) throw new CliInputException(
                $"--proof-file: {path} does not say which document it proves (no \"documentHash\")");
            proofs[hash] = new HandedOverProof(root, proof);
        }
        return proofs;
    }

    private static TradeDocumentRef? Load(
        string? path, ClientDocumentType expected, string option, Dictionary<ByteString, HandedOverProof> proofs)
    {
        if (path is null) return null;
        var file = DocumentFile.Load(path, null);
        if (file.Document.DocumentType != expected)
        {
            throw new CliInputException($"{option}: {path} is a {file.Description}, not a {DocumentFile.Describe(expected)}");
        }
        var reference = new TradeDocumentRef { Document = file.Message };
        if (proofs.TryGetValue(ByteString.CopyFrom(DocumentHasher.Hash(file.Document).Value), out var handedOver))
        {
            (reference.Proof, reference.MerkleRoot) = (handedOver.Proof, handedOver.MerkleRoot);
        }
        return reference;
    }

    private static void Report(CommandContext context, VerifyTradeResponse response)
    {
        var json = new JsonObject
        {
            ["verdict"] = Outcome(response.Verdict),
            ["titleId"] = response.TitleId,
            ["asOfBlock"] = response.AsOf?.BlockNumber ?? 0,
            ["checks"] = Views.Array(response.Checks, c => new JsonObject
            {
                ["name"] = c.Name,
                ["outcome"] = Outcome(c.Outcome),
                ["reason"] = c.Reason,
                ["evidence"] = Views.Array(c.Evidence, e => new JsonObject
                {
                    ["description"] = e.Description,
                    ["transaction"] = Views.Hex(e.TransactionHash),
                    ["block"] = e.BlockNumber,
                    ["member"] = e.Member,
                    ["documentHash"] = Views.Hex(e.DocumentHash),
                }),
            }),
        };
        context.Output.Result(json, console =>
        {
            var colour = Colour(response.Verdict);
            console.MarkupLine(
                $"[{colour}]{Outcome(response.Verdict).ToUpperInvariant()}[/] trade " +
                $"verification{(response.TitleId == 0 ? "" : $" of title {response.TitleId}")} [grey](as of block " +
                $"{response.AsOf?.BlockNumber})[/]");
            var table = new Table().AddColumn("Check").AddColumn("Outcome").AddColumn("Reason").AddColumn("Evidence");
            foreach (var check in response.Checks)
            {
                var evidence = string.Join("\n", check.Evidence.Select(e =>
                    Markup.Escape(e.Description)
                        + (e.TransactionHash.IsEmpty ? "" : $" [grey](tx {Views.Short(e.TransactionHash)}, block {e.BlockNumber})[/]")));
                table.AddRow(
                    Markup.Escape(check.Name), $"[{Colour(check.Outcome)}]{Outcome(check.Outcome)}[/]", Markup.Escape(check.Reason),
                    evidence);
            }
            console.Write(table);
        });
    }

    private static string Outcome(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Pass => "pass",
        CheckOutcome.Warn => "warn",
        CheckOutcome.Fail => "fail",
        _ => "unknown",
    };

    private static string Colour(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Pass => "green",
        CheckOutcome.Warn => "yellow",
        _ => "red",
    };
}
