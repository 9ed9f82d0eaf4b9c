namespace OffshoreLedger.Client.Verification;

/// <summary>The bank's tolerances for a trade verification.</summary>
public sealed record VerificationPolicy
{
    /// <summary>
    /// How far quantities may differ across invoices and B/L, in percent of the smaller (B/L gross weight is compared with invoiced net
    /// weight).
    /// </summary>
    public decimal QuantityTolerancePercent { get; init; } = 2m;

    /// <summary>The lowest accepted resale margin, (sales − purchase) / purchase, in percent.</summary>
    public decimal MinMarginPercent { get; init; }

    /// <summary>The highest accepted resale margin, in percent: above it the sales invoice looks inflated.</summary>
    public decimal MaxMarginPercent { get; init; } = 10m;

    /// <summary>Days a B/L date may precede the loading date (the B/L is dated in local time, loading in UTC).</summary>
    public int LoadingDateAllowanceDays { get; init; } = 1;
}
