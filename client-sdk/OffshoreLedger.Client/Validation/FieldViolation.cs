namespace OffshoreLedger.Client.Validation;

/// <summary>
/// One thing wrong with one field of a document, shaped to map onto a google.rpc.BadRequest field
/// violation (<see cref="Field"/> → field, <see cref="Reason"/> → description, <see cref="Code"/> → reason).
/// </summary>
/// <param name="Field">Path of the field in the document's JSON names, for example "containers[1].containerNumber".</param>
/// <param name="Reason">What is wrong, in words a trade operations clerk understands.</param>
/// <param name="Code">The machine-readable kind of failure.</param>
public sealed record FieldViolation(string Field, string Reason, ViolationCode Code)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Reason} ({Code})";
}

/// <summary>Machine-readable kinds of field violation.</summary>
public enum ViolationCode
{
    /// <summary>The field is missing or blank.</summary>
    Required = 1,

    /// <summary>The value does not have the shape its standard prescribes.</summary>
    Malformed = 2,

    /// <summary>The value has the right shape but its check digit does not match.</summary>
    CheckDigitMismatch = 3,

    /// <summary>The value is not in the code list it must come from.</summary>
    UnknownCode = 4,

    /// <summary>The number is outside the range allowed (negative, too large).</summary>
    OutOfRange = 5,

    /// <summary>The date is too far in the past or the future to be real.</summary>
    ImplausibleDate = 6,

    /// <summary>The field contradicts another field of the same document.</summary>
    Inconsistent = 7,
}
