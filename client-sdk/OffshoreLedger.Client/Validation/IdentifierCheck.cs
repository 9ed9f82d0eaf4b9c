namespace OffshoreLedger.Client.Validation;

/// <summary>The outcome of checking one identifier: its normal form, or why it is wrong.</summary>
internal readonly record struct IdentifierCheck(string Normalized, ViolationCode? Code, string? Reason)
{
    public bool IsValid => Code is null;

    /// <summary>The identifiers' <c>TryNormalize</c>: the normal form when valid, empty when not.</summary>
    public bool TryGetNormalized(out string normalized)
    {
        normalized = IsValid ? Normalized : string.Empty;
        return IsValid;
    }

    public static IdentifierCheck Ok(string normalized) => new(normalized, null, null);

    public static IdentifierCheck Fail(string normalized, ViolationCode code, string reason) =>
        new(normalized, code, reason);

    public static IdentifierCheck Missing(string what) =>
        new(string.Empty, ViolationCode.Required, $"{what} is required");

    public FieldViolation? ToViolation(string field) =>
        Code is { } code ? new FieldViolation(field, Reason!, code) : null;
}
