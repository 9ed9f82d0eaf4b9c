using System.Text.Json.Nodes;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Client.Connection;
using Spectre.Console;

using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Cli.Output;

/// <summary>Turns a failure into its exit code and a message people can act on: never a stack trace.</summary>
public static class ErrorReport
{
    public static int Write(Exception exception, CommandOutput output, CancellationToken cancellationToken)
    {
        var (code, kind) = Classify(exception, cancellationToken);
        var error = new JsonObject { ["exitCode"] = code, ["kind"] = kind, ["message"] = exception.Message };
        var err = output.Error;
        switch (exception)
        {
            case CliInputException input:
                err.MarkupLine($"[red]error:[/] {Markup.Escape(input.Message)}");
                foreach (var p in input.Problems) err.MarkupLine($"  [bold]{Markup.Escape(p.Field)}[/]: {Markup.Escape(p.Reason)}");
                if (input.Problems.Count > 0) error["violations"] = Views.Array(
                    input.Problems, p => new JsonObject { ["field"] = p.Field, ["description"] = p.Reason });
                break;
            case InvalidLedgerRequestException invalid:
                err.MarkupLine("[red]error:[/] the node rejected the request:");
                foreach (var v in invalid.Violations) err.MarkupLine(
                    $"  [bold]{Markup.Escape(v.Field)}[/]: {Markup.Escape(v.Description)}");
                if (invalid.Violations.Count == 0) err.MarkupLine($"  {Markup.Escape(invalid.Message)}");
                error["reason"] = invalid.Reason;
                error["violations"] = Views.Array(
                    invalid.Violations, v => new JsonObject { ["field"] = v.Field, ["description"] = v.Description });
                break;
            case TitleAlreadyPledgedException pledged:
                err.MarkupLine($"[red]refused:[/] already pledged{(pledged.PledgeId is { } id ? $" under pledge {id}" : "")}"
                    + $" to [bold]{Markup.Escape(pledged.Pledgee is null
                        ? "another bank"
                        : MemberName.Label(pledged.Pledgee, pledged.PledgeeName is { } name ? new MemberName(name, "") : null))}[/]"
                    + (pledged.ExpiresAt is { } until ? $" until {Views.Time(until)}" : "") + ".");
                err.MarkupLine("  [grey]The attempt is recorded on chain. Nothing was pledged.[/]");
                error["reason"] = pledged.Reason;
                error["pledgeId"] = pledged.PledgeId;
                error["pledgee"] = pledged.Pledgee;
                error["pledgeeName"] = pledged.PledgeeName;
                error["expiresAt"] = pledged.ExpiresAt is { } expiry
                    ? expiry.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : null;
                break;
            case LedgerException ledger:
                var label = code switch
                {
                    ExitCodes.Refused => "refused",
                    ExitCodes.NodeUnreachable => "node unreachable",
                    ExitCodes.NotAuthorised => "not authorised",
                    _ => "error",
                };
                err.MarkupLine(
                    $"[red]{label}:[/] " +
                    $"{Markup.Escape(ledger.Message)}{(ledger.Reason.Length > 0 ? $" [grey]({Markup.Escape(ledger.Reason)})[/]" : "")}");
                if (ledger.Reason == LedgerException.TlsHandshakeFailed) err.MarkupLine(
                    "  [grey]Check --ca-file / OFFSHORE_CA_FILE (the CA that issued the node's certificate).[/]");
                else if (code == ExitCodes.NodeUnreachable) err.MarkupLine(
                    "  [grey]Check --node / OFFSHORE_NODE and that the node is running.[/]");
                if (exception is LedgerAuthenticationException) err.MarkupLine("  [grey]Check --api-key / OFFSHORE_API_KEY.[/]");
                error["reason"] = ledger.Reason;
                if (exception is GovernanceRefusedException { Violations.Count: > 0 } governance)
                {
                    foreach (var v in governance.Violations) err.MarkupLine(
                        $"  [bold]{Markup.Escape(v.Field)}[/]: {Markup.Escape(v.Description)}");
                    error["violations"] = Views.Array(
                        governance.Violations, v => new JsonObject { ["field"] = v.Field, ["description"] = v.Description });
                }
                if (ledger.Metadata.Count > 0) error["details"] = new JsonObject(
                    [.. ledger.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))]);
                break;
            case OperationCanceledException:
                err.MarkupLine("[red]cancelled.[/]");
                break;
            default:
                err.MarkupLine($"[red]error:[/] {Markup.Escape(exception.Message)} [grey]({Markup.Escape(exception.GetType().Name)})[/]");
                break;
        }

        if (output.Json) output.Result(new JsonObject { ["error"] = error }, _ => { });
        return code;
    }

    private static (int Code, string Kind) Classify(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        CliInputException or InvalidLedgerRequestException => (ExitCodes.InvalidInput, "invalidInput"),
        LedgerRefusedException => (ExitCodes.Refused, "refused"),
        NodeUnavailableException => (ExitCodes.NodeUnreachable, "nodeUnreachable"),
        LedgerAuthenticationException or LedgerPermissionException => (ExitCodes.NotAuthorised, "notAuthorised"),
        LedgerNotFoundException => (ExitCodes.Failed, "notFound"),
        LedgerLimitExceededException or WatcherTooSlowException => (ExitCodes.Failed, "limitExceeded"),
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Failed, "cancelled"),
        _ => (ExitCodes.Failed, "failed"),
    };
}
