namespace OffshoreLedger.Client.Validation;

/// <summary>The outcome of validating a document: every violation found, not just the first.</summary>
public sealed class ValidationResult
{
    /// <summary>A result with no violations.</summary>
    public static ValidationResult Valid { get; } = new([]);

    /// <summary>Creates a result holding the given violations.</summary>
    /// <param name="violations">The violations found, in document order.</param>
    public ValidationResult(IEnumerable<FieldViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        Violations = [.. violations];
    }

    /// <summary>The violations, in document order; empty when the document is valid.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; }

    /// <summary>True when there are no violations.</summary>
    public bool IsValid => Violations.Count == 0;

    /// <summary>Throws <see cref="InvalidTradeDocumentException"/> carrying the violations, if any.</summary>
    /// <exception cref="InvalidTradeDocumentException">The result has violations.</exception>
    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new InvalidTradeDocumentException(Violations);
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsValid ? "valid" : string.Join("; ", Violations.Select(v => v.ToString()));
}
