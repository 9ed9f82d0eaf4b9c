namespace OffshoreLedger.Client.Keys;

/// <summary>
/// What one collateral key is computed from: its kind and its normalised, validated fields, before
/// the secret is applied. Holds identifiers in clear; never log it or send it off the node.
/// </summary>
/// <param name="Kind">What the key stands for.</param>
/// <param name="Fields">The normalised fields, in encoding order.</param>
public sealed record CollateralKeyInput(CollateralKeyKind Kind, IReadOnlyList<string> Fields)
{
    /// <summary>The HMAC input (see <see cref="KeyMessage"/>).</summary>
    /// <returns>The encoded message.</returns>
    public byte[] ToMessage() => KeyMessage.Encode(Kind, [.. Fields]);

    /// <summary>Equal when kind and every field are equal (records compare lists by reference otherwise).</summary>
    /// <param name="other">The other input.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(CollateralKeyInput? other) =>
        other is not null && Kind == other.Kind && Fields.SequenceEqual(other.Fields, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Fields.Count > 0 ? Fields[0] : null);
}
