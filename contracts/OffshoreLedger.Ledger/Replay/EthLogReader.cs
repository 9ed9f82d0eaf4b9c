using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OffshoreLedger.Ledger.Replay;

/// <summary>
/// Reads a contract's logs, block headers and the head over plain JSON-RPC. It parses responses with
/// System.Text.Json straight into <see cref="ChainLog"/>s (no intermediate JSON tree), which keeps the replay close to
/// the rate the node serves logs at; and it reads <c>blockTimestamp</c> off each log, which Nethereum's
/// <c>FilterLog</c> drops.
/// </summary>
public sealed class EthLogReader : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMedia = new("application/json");
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _rpcUrl;
    private readonly string _contract;
    private long _requestId;

    // eth_getLogs answers run to megabytes: one buffer, reused, keeps them off the large object heap, whose churn
    // otherwise triggers full collections of the replay's growing state.
    private byte[] _answer = new byte[1 << 20];

    /// <param name="rpcUrl">The chain's JSON-RPC URL.</param>
    /// <param name="contractAddress">The contract whose logs are read.</param>
    /// <param name="http">A client to share; one of its own (disposed with this reader) when null.</param>
    public EthLogReader(Uri rpcUrl, string contractAddress, HttpClient? http = null)
    {
        _rpcUrl = rpcUrl;
        _contract = contractAddress.ToLowerInvariant();
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
    }

    public string ContractAddress => _contract;

    public async Task<ulong> HeadAsync(CancellationToken cancellationToken) =>
        ParseQuantity(await CallAsync("eth_blockNumber", "[]", cancellationToken));

    public async Task<ulong> ChainIdAsync(CancellationToken cancellationToken) =>
        ParseQuantity(await CallAsync("eth_chainId", "[]", cancellationToken));

    /// <summary>
    /// The <c>eth_getLogs</c> answer as the node sent it (checked for an error, not parsed), in this reader's buffer:
    /// valid until the next call. One caller at a time. Reads no more than <paramref name="maxBytes"/> of it: past that it stops
    /// reading and throws <see cref="LogAnswerTooLargeException"/>.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>> GetLogsAnswerAsync(
        ulong fromBlock, ulong toBlock, CancellationToken cancellationToken, int maxBytes = int.MaxValue)
    {
        var parameters = string.Create(
            CultureInfo.InvariantCulture,
            $$"""[{"address":"{{_contract}}","fromBlock":"0x{{fromBlock:x}}","toBlock":"0x{{toBlock:x}}"}]""");
        using var content = new StringContent(Request("eth_getLogs", parameters), Encoding.UTF8);
        content.Headers.ContentType = JsonMedia;
        using var request = new HttpRequestMessage(HttpMethod.Post, _rpcUrl) { Content = content };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var length = 0;
        while (true)
        {
            if (length == _answer.Length) Array.Resize(ref _answer, _answer.Length * 2);
            var read = await stream.ReadAsync(_answer.AsMemory(length), cancellationToken);
            if (read == 0) break;
            length += read;
            if (length > maxBytes) throw new LogAnswerTooLargeException(maxBytes);
        }
        var answer = _answer.AsMemory(0, length);
        ThrowIfErrorResponse(answer);
        return answer;
    }

    /// <summary>
    /// The raw <c>eth_getLogs</c> response, read to the end but not decoded: what the node serves, for measuring its
    /// own rate. Returns the number of logs in it.
    /// </summary>
    public async Task<int> CountLogsAsync(ulong fromBlock, ulong toBlock, CancellationToken cancellationToken)
    {
        var answer = await GetLogsAnswerAsync(fromBlock, toBlock, cancellationToken);
        return CountLogObjects(answer.Span);
    }

    /// <summary>Block times (Unix seconds) of the given blocks from their headers, in JSON-RPC batches of 100.</summary>
    public async Task<Dictionary<ulong, ulong>> BlockTimestampsAsync(IEnumerable<ulong> blocks, CancellationToken cancellationToken)
    {
        var times = new Dictionary<ulong, ulong>();
        foreach (var chunk in blocks.Distinct().Chunk(100))
        {
            var request = new StringBuilder("[");
            var ids = new Dictionary<long, ulong>();
            foreach (var block in chunk)
            {
                var id = Interlocked.Increment(ref _requestId);
                ids[id] = block;
                if (request.Length > 1) request.Append(',');
                request.Append(
                    CultureInfo.InvariantCulture,
                    $$"""{"jsonrpc":"2.0","id":{{id}},"method":"eth_getBlockByNumber","params":["0x{{block:x}}",false]}""");
            }
            request.Append(']');
            using var json = JsonDocument.Parse(await PostAsync(request.ToString(), cancellationToken));
            foreach (var answer in json.RootElement.EnumerateArray())
            {
                ThrowIfError(answer);
                var block = ids[answer.GetProperty("id").GetInt64()];
                var header = answer.GetProperty("result");
                if (header.ValueKind != JsonValueKind.Object) throw new ChainRpcException(0, $"block {block} is unknown to the chain");
                times[block] = ParseQuantity(header.GetProperty("timestamp").GetString()!);
            }
        }
        return times;
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private async Task<string> CallAsync(string method, string parameters, CancellationToken cancellationToken)
    {
        using var json = JsonDocument.Parse(await PostAsync(Request(method, parameters), cancellationToken));
        ThrowIfError(json.RootElement);
        return json.RootElement.GetProperty("result").GetString()!;
    }

    private string Request(string method, string parameters) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"jsonrpc":"2.0","id":{{Interlocked.Increment(ref _requestId)}},"method":"{{method}}","params":{{parameters}}}""");

    private async Task<byte[]> PostAsync(string request, CancellationToken cancellationToken)
    {
        using var content = new StringContent(request, Encoding.UTF8);
        content.Headers.ContentType = JsonMedia;
        using var response = await _http.PostAsync(_rpcUrl, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>Parses an <c>eth_getLogs</c> answer, <c>{"result":[log, …]}</c>, in one forward pass.</summary>
    public static List<ChainLog> ParseLogs(ReadOnlySpan<byte> answer)
    {
        var reader = new Utf8JsonReader(answer);
        var logs = new List<ChainLog>();
        // Every log names the same contract, and the logs of a block its hash: one string each, not one per log.
        var addresses = new RepeatedText();
        var blockHashes = new RepeatedText();
        var topicBuffer = new byte[4][];
        MoveToResult(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray) throw new ChainRpcException(0, "eth_getLogs did not answer with an array");
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string address = "", blockHash = "", transactionHash = "";
            byte[] data = [];
            ulong block = 0, timestamp = 0;
            uint logIndex = 0;
            var removed = false;
            byte[][] topics = [];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("topics"u8))
                {
                    // At most four topics (the signature and three indexed arguments).
                    var count = 0;
                    while (reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        if (count == topicBuffer.Length) throw new ChainRpcException(0, "a log with more than four topics");
                        topicBuffer[count++] = Hex.FromUtf8(reader.ValueSpan);
                    }
                    topics = topicBuffer[..count];
                }
                else if (name.SequenceEqual("data"u8)) data = Hex.FromUtf8(reader.ValueSpan);
                else if (name.SequenceEqual("blockNumber"u8)) block = ParseQuantity(reader.ValueSpan);
                else if (name.SequenceEqual("logIndex"u8)) logIndex = checked((uint)ParseQuantity(reader.ValueSpan));
                else if (name.SequenceEqual("transactionHash"u8)) transactionHash = reader.GetString()!;
                else if (name.SequenceEqual("blockHash"u8)) blockHash = blockHashes.Read(ref reader);
                else if (name.SequenceEqual("blockTimestamp"u8) && reader.TokenType == JsonTokenType.String)
                {
                    timestamp = ParseQuantity(reader.ValueSpan);
                }
                else if (name.SequenceEqual("address"u8)) address = addresses.Read(ref reader);
                else if (name.SequenceEqual("removed"u8)) removed = reader.TokenType == JsonTokenType.True;
                else reader.Skip();
            }
            if (!removed) logs.Add(new ChainLog(address, block, blockHash, logIndex, transactionHash, topics, data, timestamp));
        }
        return logs;
    }

    /// <summary>Counts the objects of the result array without materialising them.</summary>
    private static int CountLogObjects(ReadOnlySpan<byte> answer)
    {
        var reader = new Utf8JsonReader(answer);
        MoveToResult(ref reader);
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            reader.Skip();
            count++;
        }
        return count;
    }

    private static void MoveToResult(ref Utf8JsonReader reader)
    {
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isResult = reader.ValueSpan.SequenceEqual("result"u8);
            reader.Read();
            if (isResult) return;
            reader.Skip();
        }
        throw new ChainRpcException(0, "the answer has no result");
    }

    private static void ThrowIfErrorResponse(ReadOnlyMemory<byte> answer)
    {
        // An error answer is small and names "error" before or instead of "result"; a log answer starts with its result.
        var head = answer.Span[..Math.Min(answer.Length, 64)];
        if (head.IndexOf("\"error\""u8) < 0) return;
        using var json = JsonDocument.Parse(answer);
        ThrowIfError(json.RootElement);
    }

    private static void ThrowIfError(JsonElement answer)
    {
        if (!answer.TryGetProperty("error", out var error)) return;
        var code = error.TryGetProperty("code", out var c) && c.TryGetInt64(out var n) ? n : 0;
        var message = error.TryGetProperty("message", out var m) ? m.GetString() ?? "" : error.ToString();
        throw new ChainRpcException(code, message);
    }

    internal static ulong ParseQuantity(string hex) => ParseQuantity(Encoding.ASCII.GetBytes(hex));

    /// <summary>The last string read for one property, handed out again while the text repeats.</summary>
    private sealed class RepeatedText
    {
        private byte[] _raw = [];
        private string _text = "";

        public string Read(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || !reader.ValueSpan.SequenceEqual(_raw))
            {
                _raw = reader.ValueSpan.ToArray();
                _text = reader.GetString()!;
            }
            return _text;
        }
    }

    private static ulong ParseQuantity(ReadOnlySpan<byte> hex)
    {
        if (hex.Length > 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex = hex[2..];
        ulong value = 0;
        foreach (var b in hex)
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => throw new FormatException($"'{Encoding.ASCII.GetString(hex)}' is not a hex quantity"),
            };
            value = (value << 4) | (uint)digit;
        }
        return value;
    }
}
