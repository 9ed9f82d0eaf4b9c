using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace OffshoreLedger.Node.Errors;

/// <summary>Collects every field violation of a request, then throws one INVALID_ARGUMENT naming them all.</summary>
public sealed partial class RequestCheck
{
    public const int MaxKeys = 500;

    public List<(string Field, string Description)> Violations { get; } = [];

    public void Add(string field, string description) => Violations.Add((field, description));

    public void RequestId(string value, string field = "request_id")
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "required: an idempotency key such as a UUID");
        else if (value.Length > 128) Add(field, "at most 128 characters");
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

    public void Keys(IReadOnlyList<ByteString> keys, string field, int max = MaxKeys)
    {
        if (keys.Count > max) Add(field, $"at most {max} keys, got {keys.Count}");
        for (var i = 0; i < keys.Count && i < max; i++) Bytes32(keys[i], $"{field}[{i}]");
    }

    public void Unit(string value, string field)
    {
        if (!UnitPattern().IsMatch(value ?? "")) Add(field, "must be a UN/ECE Rec. 20 unit code: 1 to 8 upper-case letters or digits, e.g. TNE");
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
