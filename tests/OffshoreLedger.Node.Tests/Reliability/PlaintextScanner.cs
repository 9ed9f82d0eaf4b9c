using System.Numerics;
using System.Text;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// Searches everything a chain publishes — every transaction's input and every log's topics and data, from block 0 to
/// the head — for plaintext identifiers. Each identifier is looked for as UTF-8 bytes as given, upper- and lower-cased,
/// and with spaces, hyphens, dots and slashes removed (a match is byte-aligned, so it is found inside an ABI-padded
/// string or bytes32 word too); a UUID (a UETR) also as its 16 raw bytes, and a number of seven or more digits (an IMO
/// number, a registration id) also as an ABI uint256 word.
/// </summary>
public sealed class PlaintextScanner(IWeb3 web3)
{
    /// <summary>One place an identifier was found.</summary>
    public sealed record Hit(string Identifier, string Where);

    /// <summary>What a scan found, and how much it looked at.</summary>
    public sealed record Findings(IReadOnlyList<Hit> Hits, int Blocks, int Transactions, int Logs);

    public async Task<Findings> ScanAsync(IEnumerable<string> identifiers)
    {
        var needles = identifiers.Distinct().SelectMany(id => Encodings(id).Select(hex => (Identifier: id, Hex: hex))).ToList();
        var hits = new List<Hit>();
        void Search(string? hex, string where)
        {
            if (string.IsNullOrEmpty(hex)) return;
            var haystack = (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex).ToLowerInvariant();
            hits.AddRange(needles.Where(n => ContainsAligned(haystack, n.Hex)).Select(n => new Hit(n.Identifier, where)).Distinct());
        }

        var head = (await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var transactions = 0;
        for (BigInteger number = 0; number <= head; number++)
        {
            var block = await web3.Eth.Blocks.GetBlockWithTransactionsByNumber.SendRequestAsync(new HexBigInteger(number));
            foreach (var transaction in block.Transactions) Search(
                transaction.Input, $"input of transaction {transaction.TransactionHash} in block {number}");
            transactions += block.Transactions.Length;
        }
        var logs = await web3.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
        {
            FromBlock = new BlockParameter(new HexBigInteger(0)), ToBlock = new BlockParameter(new HexBigInteger(head)),
        });
        foreach (var log in logs)
        {
            var where = $"log {log.LogIndex.Value} of transaction {log.TransactionHash} in block {log.BlockNumber.Value}";
            foreach (var topic in log.Topics ?? []) Search(topic?.ToString(), where);
            Search(log.Data, where);
        }
        return new Findings(hits, (int)head + 1, transactions, logs.Length);
    }

    /// <summary>The hex (lower-case, no 0x) of every form of <paramref name="identifier"/> the scan looks for.</summary>
    public static IEnumerable<string> Encodings(string identifier)
    {
        var forms = new[] { identifier, identifier.ToUpperInvariant(), identifier.ToLowerInvariant() }
            .SelectMany(f => new[] { f, Compact(f) })
            .Distinct();
        foreach (var form in forms) yield return Convert.ToHexStringLower(Encoding.UTF8.GetBytes(form));
        if (Guid.TryParse(identifier, out var uuid)) yield return uuid.ToString("N");
        var digits = Compact(identifier);
        if (digits.Length >= 7 && digits.All(char.IsAsciiDigit)) yield return BigInteger.Parse(digits).ToString("x").PadLeft(64, '0');
    }

    private static string Compact(string identifier) => string.Concat(identifier.Where(c => c is not (' ' or '-' or '.' or '/')));

    private static bool ContainsAligned(string haystack, string needle)
    {
        for (var i = haystack.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = haystack.IndexOf(
            needle, i + 1, StringComparison.Ordinal))
        {
            if (i % 2 == 0) return true;
        }
        return false;
    }
}
