using System.Collections.Frozen;

namespace OffshoreLedger.Api.V1;

/// <summary>
/// The <c>google.rpc.ErrorInfo</c> reason of each <see cref="ErrorReason"/>: the value's name in the proto
/// (<c>TITLE_ALREADY_PLEDGED</c>), not the C# member's (<c>TitleAlreadyPledged</c>). Node and clients both go through
/// here, so neither spells a reason as a string literal.
/// </summary>
public static class ErrorReasons
{
    private static readonly FrozenDictionary<ErrorReason, string> Names =
        ErrorsReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("ErrorReason").Values
            .ToFrozenDictionary(v => (ErrorReason)v.Number, v => v.Name);

    private static readonly FrozenDictionary<string, ErrorReason> ByName =
        Names.Where(n => n.Key != ErrorReason.Unspecified).ToFrozenDictionary(n => n.Value, n => n.Key, StringComparer.Ordinal);

    /// <summary>Every reason the node may send (all values but <see cref="ErrorReason.Unspecified"/>).</summary>
    public static IReadOnlyCollection<ErrorReason> All => ByName.Values;

    /// <summary>The reason as it travels in <c>ErrorInfo.reason</c>, e.g. <c>KEY_ALREADY_LIVE</c>.</summary>
    public static string Name(this ErrorReason reason) =>
        Names.TryGetValue(reason, out var name)
            ? name : throw new ArgumentOutOfRangeException(nameof(reason), reason, "not an ErrorReason value");

    /// <summary>
    /// The value named <paramref name="reason"/>; <see cref="ErrorReason.Unspecified"/> for a reason this build does not know.
    /// </summary>
    public static ErrorReason Parse(string? reason) => reason is not null && ByName.TryGetValue(reason, out var value)
        ? value : ErrorReason.Unspecified;
}
