using System.ComponentModel.DataAnnotations;
using OffshoreLedger.Client.Verification;

namespace OffshoreLedger.Node.Verification;

/// <summary>The bank's tolerances for trade verification and its directory of known counterparties.</summary>
public sealed class VerificationOptions
{
    public const string Section = "Verification";

    [Range(0, 100)]
    public decimal QuantityTolerancePercent { get; set; } = 2m;

    [Range(-100, 1_000)]
    public decimal MinMarginPercent { get; set; }

    [Range(-100, 1_000)]
    public decimal MaxMarginPercent { get; set; } = 10m;

    [Range(0, 30)]
    public int LoadingDateAllowanceDays { get; set; } = 1;

    /// <summary>Organisations this bank knows (its KYC'd counterparties), each optionally tied to a consortium member.</summary>
    public List<CounterpartyOptions> Counterparties { get; set; } = [];

    public VerificationPolicy Policy() => new()
    {
        QuantityTolerancePercent = QuantityTolerancePercent,
        MinMarginPercent = MinMarginPercent,
        MaxMarginPercent = MaxMarginPercent,
        LoadingDateAllowanceDays = LoadingDateAllowanceDays,
    };
}

/// <summary>A known counterparty, identified by LEI, registration id or (weakest) name, as parties are matched.</summary>
public sealed class CounterpartyOptions
{
    [Required]
    public string Name { get; set; } = "";

    public string? Lei { get; set; }

    public string? RegistrationId { get; set; }

    /// <summary>The organisation's consortium member address, when it is one: it must then be an active member.</summary>
    [RegularExpression("^0x[0-9a-fA-F]{40}$")]
    public string? Member { get; set; }
}
