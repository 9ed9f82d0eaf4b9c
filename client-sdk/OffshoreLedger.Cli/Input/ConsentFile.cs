using System.Text.Json.Nodes;
using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Output;

namespace OffshoreLedger.Cli.Input;

/// <summary>
/// A signed pledge consent as a file the holder hands to its bank: the <c>PledgeConsent</c> message in protobuf's JSON
/// mapping (bytes as base64), so every field the contract checks travels unchanged.
/// </summary>
public static class ConsentFile
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());

    public static void Write(string path, PledgeConsent consent) =>
        File.WriteAllText(path, Formatter.Format(consent) + Environment.NewLine);

    public static PledgeConsent Read(string path)
    {
        if (!File.Exists(path)) throw new CliInputException($"--consent: no such file '{path}'");
        try
        {
            return JsonParser.Default.Parse<PledgeConsent>(File.ReadAllText(path));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new CliInputException($"--consent: '{path}' is not a signed consent from 'offshore trader consent': {ex.Message}");
        }
        catch (InvalidJsonException ex)
        {
            throw new CliInputException($"--consent: '{path}' is not JSON: {ex.Message}");
        }
    }

    /// <summary>The consent's terms for the CLI's JSON output (hex, not base64).</summary>
    public static JsonObject Summary(PledgeConsent consent) => new()
    {
        ["borrower"] = consent.Borrower,
        ["bank"] = consent.Bank,
        ["titleIds"] = Views.Array(consent.TitleIds, id => id),
        ["keys"] = Views.Array(consent.Keys, k => Views.Hex(k)),
        ["financingCommitment"] = consent.FinancingCommitment.IsEmpty ? null : Views.Hex(consent.FinancingCommitment),
        ["expiresAt"] = Views.Time(consent.ExpiresAt),
        ["nonce"] = consent.Nonce,
        ["deadline"] = Views.Time(consent.Deadline),
        ["chainId"] = consent.ChainId,
        ["contract"] = consent.Contract,
    };
}
