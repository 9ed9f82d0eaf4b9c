using System.CommandLine;
using System.Text.Json.Nodes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Cli.Output;
using Spectre.Console;

namespace OffshoreLedger.Cli.Commands;

/// <summary>
/// The auditor's job: read a title's history, verify a document was anchored (and by whom, when), replay the ledger from the chain.
/// </summary>
public static class AuditorCommands
{
    public static Command Build(CliSession session)
    {
        var auditor = new Command(
            "auditor",
            "Read title histories, verify anchored documents (any member; role AUDITOR for audit nodes), and audit the whole ledger from " +
            "the chain alone");
        auditor.Add(
            HistoryCommand.Build(
            session, "Every event of a title (or of a collateral key), oldest first, including blocked pledge attempts"));
        auditor.Add(Verify(session));
        auditor.Add(ReplayCommand.Build(session));
        return auditor;
    }

    private static Command Verify(CliSession session)
    {
        var file = new Option<string>("--file") { Description = "The document to verify", HelpName = "FILE" };
        var type = CommonOptions.Type();
        var hash = new Option<string>("--hash") { Description = "The document hash to verify (0x-hex)", HelpName = "HEX" };
        var proofFile = new Option<string>("--proof-file")
        {
            Description = "For a document another member anchored: the proof its owner handed over (written by 'trader proof --out')",
            HelpName = "FILE",
        };
        var command = new Command(
            "verify", "Was this document anchored on chain, by whom and when? Exit code 0 either way: read \"anchored\"")
        {
            file, type, hash, proofFile,
        };
        CommonOptions.RequireOneOf(command, file, hash);
        command.Validators.Add(result =>
        {
            if (result.GetResult(file) is not null && result.GetResult(hash) is not null) result.AddError(
                "give --file or --hash, not both");
        });
        command.SetAction(session.Handle(async (context, ct) =>
        {
            var request = new VerifyDocumentRequest();
            if (context.Get(file) is { } path) request.Document = DocumentFile.Load(path, context.Get(type)).Message;
            else request.DocumentHash = Values.Bytes32(context.Get(hash)!, "--hash");
            if (context.Get(proofFile) is { } proofPath)
            {
                var (proofHash, root, proof) = ProofFile.Read(proofPath);
                if (proofHash is not null && !request.DocumentHash.IsEmpty && proofHash != request.DocumentHash)
                {
                    throw new CliInputException(
                        $"--proof-file: {proofPath} proves {Views.Hex(proofHash)}, not {Views.Hex(request.DocumentHash)}");
                }

                request.Proof = proof;
                request.MerkleRoot = root;
            }

            var response = await context.Client.VerifyDocumentAsync(request, ct);
            var json = new JsonObject
            {
                ["documentHash"] = Views.Hex(response.DocumentHash),
                ["anchored"] = response.Anchored,
                ["submitter"] = response.Submitter,
                ["anchoredAt"] = Views.Time(response.AnchoredAt),
                ["block"] = response.BlockNumber,
                ["merkleRoot"] = Views.Hex(response.MerkleRoot),
                ["asOfBlock"] = response.AsOf?.BlockNumber ?? 0,
                ["stale"] = response.AsOf?.Stale ?? false,
            };
            context.Output.Result(json, console =>
            {
                if (response.Anchored)
                {
                    console.MarkupLine($"[green]ANCHORED[/]: document {Views.Hex(response.DocumentHash)}");
                    console.MarkupLine(
                        $"  by {Markup.Escape(response.Submitter)} at {Views.Time(response.AnchoredAt.ToDateTimeOffset())} in block " +
                        $"{response.BlockNumber}, root {Views.Hex(response.MerkleRoot)}");
                }
                else
                {
                    console.MarkupLine(
                        $"[red]NOT ANCHORED[/]: no anchored batch proves document {Views.Hex(response.DocumentHash)} " +
                        $"{Views.AsOf(response.AsOf)}");
                    if (request.Proof is null) console.MarkupLine(
                        "  [grey]A document another member anchored needs the proof its owner hands over: --proof-file.[/]");
                }
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}
