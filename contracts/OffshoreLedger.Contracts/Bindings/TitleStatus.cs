namespace OffshoreLedger.Contracts.Bindings;

/// <summary>A title's life cycle, as <c>CollateralLedger.TitleStatus</c>.</summary>
public enum TitleStatus : byte
{
    None = 0,
    Live = 1,
    Surrendered = 2,
    /// <summary>Voided by a governed correction: its keys are free again.</summary>
    Voided = 3,
}
