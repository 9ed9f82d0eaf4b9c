namespace OffshoreLedger.Client.Validation;

/// <summary>A document (or the fields a key needs) failed validation.</summary>
public sealed class InvalidTradeDocumentException : Exception
{
    /// <summary>Creates the exception from the violations found.</summary>
    /// <param name="violations">At least one violation.</param>
    public InvalidTradeDocumentException(IReadOnlyList<FieldViolation> violations)
        : base("The trade document is invalid: " + string.Join("; ", violations.Select(v => v.ToString())))
    {
        Violations = violations;
    }

    /// <summary>Every violation found.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }
}
