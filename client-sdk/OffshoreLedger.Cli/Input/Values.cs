using System.Globalization;
using Google.Protobuf;

namespace OffshoreLedger.Cli.Input;

/// <summary>Option values the CLI checks itself: 32-byte hex keys and hashes, expiry dates.</summary>
public static class Values
{
    public static ByteString Bytes32(string hex, string option)
    {
        var digits = hex.Trim();
        digits = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? digits[2..] : digits;
        if (digits.Length != 64 || !digits.All(char.IsAsciiHexDigit))
        {
            throw new CliInputException($"{option}: '{hex}' is not 32 bytes of hex (64 hex digits, 0x optional)");
        }

        return ByteString.CopyFrom(Convert.FromHexString(digits));
    }

    /// <summary>A date means the end of that day, UTC; a full timestamp is taken as given.</summary>
    public static DateTimeOffset Expiry(string? expires, int? days, DateTimeOffset now)
    {
        if (expires is not null && days is not null)
        {
            throw new CliInputException("give --expires or --days, not both");
        }

        if (days is { } n)
        {
            return n > 0 ? now.AddDays(n) : throw new CliInputException($"--days: {n} is not a positive number of days");
        }

        if (expires is null)
        {
            throw new CliInputException("a pledge needs an expiry: --expires DATE or --days N");
        }

        DateTimeOffset expiry;
        if (DateOnly.TryParseExact(expires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            expiry = new DateTimeOffset(date.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero);
        }
        else if (!DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out expiry))
        {
            throw new CliInputException($"--expires: '{expires}' is not a date (2027-03-31) or an ISO 8601 timestamp");
        }

        return expiry > now ? expiry : throw new CliInputException($"--expires: {expiry:u} is not in the future");
    }
}
