using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace OffshoreLedger.Node.Errors;

/// <summary>
/// Collects every field violation of a request, then throws one INVALID_ARGUMENT naming them all. The maxima of every
/// string and bytes field of every request are here (the proto comments repeat them): addresses are 42 characters,
/// keys, lot keys, document hashes, Merkle roots and audit-path nodes exactly 32 bytes, units 1 to 8 characters, and
/// the constants below.
/// </summary>
public sealed partial class RequestCheck
{
    /// <summary>Titles or keys in one check, pledge, release or list; a check's documents count by the keys they derive.</summary>
    public const int MaxKeys = 500;

    /// <summary>Characters of a caller's <c>request_id</c>.</summary>
    public const int MaxRequestIdLength = 128;

    /// <summary>Characters of a bank's financing reference (only its hash goes on chain).</summary>
    public const int MaxFinancingReferenceLength = 128;

    /// <summary>Characters of one trade document's JSON: a B/L of hundreds of containers fits many times over.</summary>
    public const int MaxDocumentJsonLength = 256 * 1024;

    /// <summary>Nodes of a Merkle audit path: a tree of 2^64 leaves needs 64.</summary>
    public const int MaxAuditPathLength = 64;

    public List<(string Field, string Description)> Violations { get; } = [];

    public void Add(string field, string description) => Violations.Add((field, description));

    public void RequestId(string value, string field = "request_id")
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "required: an idempotency key such as a UUID");
        else if (value.Length > MaxRequestIdLength) Add(field, $"at most {MaxRequestIdLength} characters, got {value.Length}");
    }

    public void Address(string value, string field)
    {
        if (!AddressPattern().IsMatch(value ?? "")) Add(field, "must be a 0x-prefixed 20-byte hex address");
    }

    public void Bytes32(ByteString value, string field)
    {
        if (value.Length != 32) Add(field, $"must be 32 bytes, got {value.Length}");
        else if (value.Span.IndexOfAnyExcept((byte)0) < 0) Add(field, "must not be all zeros");
    }

    /// <summary>A string no longer than <paramref name="max"/> characters (checked before anything reads it).</summary>
    public bool Length(string value, string field, int max)
    {
        if (value.Length <= max) return true;
        Add(field, $"at most {max} characters, got {value.Length}");
        return false;
    }

    /// <summary>
    /// An enum value the contract defines: an unknown number (a newer client's, or a forged one) is refused, never
    /// read as the default; <paramref name="required"/> refuses the <c>_UNSPECIFIED</c> zero too.
    /// </summary>
    public bool Known<TEnum>(TEnum value, string field, bool required)
        where TEnum : struct, System.Enum
    {
        var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        if (!System.Enum.IsDefined(value)) Add(field, $"{number} is not a value of {typeof(TEnum).Name}");
        else if (required && number == 0) Add(field, "required");
        else return true;
        return false;
    }

    /// <summary>A Merkle audit path: at most <see cref="MaxAuditPathLength"/> nodes of 32 bytes.</summary>
    public void AuditPath(IReadOnlyList<ByteString> path, string field)
    {
        if (path.Count > MaxAuditPathLength) Add(field, $"at most {MaxAuditPathLength} hashes, got {path.Count}");
        for (var i = 0; i < path.Count && i < MaxAuditPathLength; i++)
        {
            if (path[i].Length != 32) Add($"{field}[{i}]", $"must be 32 bytes, got {path[i].Length}");
        }
    }

    public void Keys(IReadOnlyList<ByteString> keys, string field, int max = MaxKeys)
    {
        if (keys.Count > max) Add(field, $"at most {max} keys, got {keys.Count}");
        for (var i = 0; i < keys.Count && i < max; i++) Bytes32(keys[i], $"{field}[{i}]");
    }

    /// <summary>
    /// True for a quantity a document states that the chain can hold: a positive whole number of the unit within uint64
    /// (above it, converting would throw; a fraction would be rounded, and rounding is not ours to do).
    /// </summary>
    public static bool IsWholeChainQuantity(decimal value) => value > 0 && value == decimal.Truncate(value) && value <= ulong.MaxValue;

    public void Unit(string value, string field)
    {
        if (!UnitPattern().IsMatch(value ?? "")) Add(
            field, "must be a UN/ECE Rec. 20 unit code: 1 to 8 upper-case letters or digits, e.g. TNE");
    }

    /// <summary>
    /// The time a timestamp names, or null when it is absent (a violation if <paramref name="required"/>) or outside what a
    /// protobuf Timestamp can hold (years 1 to 9999, nanos below a second), which converting would throw on.
    /// </summary>
    public DateTimeOffset? Time(Timestamp? value, string field, bool required)
    {
        if (value is null)
        {
            if (required) Add(field, "required");
            return null;
        }
        if (value.Seconds is < MinTimestampSeconds or > MaxTimestampSeconds || value.Nanos is < 0 or > 999_999_999)
        {
            Add(field, "not a valid timestamp: seconds from 0001-01-01 to 9999-12-31 and nanos from 0 to 999,999,999");
            return null;
        }
        return value.ToDateTimeOffset();
    }

    private const long MinTimestampSeconds = -62_135_596_800, MaxTimestampSeconds = 253_402_300_799;

    public void ThrowIfAny()
    {
        if (Violations.Count > 0) throw RpcErrors.InvalidArgument(Violations);
    }

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();

    [GeneratedRegex("^[A-Z0-9]{1,8}$")]
    private static partial Regex UnitPattern();
}
