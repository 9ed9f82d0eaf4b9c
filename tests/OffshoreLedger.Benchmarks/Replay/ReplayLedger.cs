using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Consent;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Benchmarks.Replay;

/// <summary>What the replay benchmark's ledger holds and how long it took to write.</summary>
public sealed record ReplayLedgerShape(
    string ContractAddress, int Titles, int KeysPerTitle, int Pledges, int TitlesPerPledge, int Releases, int BlockedAttempts,
    int Transfers, ulong Blocks, TimeSpan BuildTime);

/// <summary>
/// A ledger of many titles written quickly to a fresh anvil: transactions are sent unsigned to anvil's unlocked
/// development accounts (anvil signs them natively, which is far faster than signing here), two hundred
/// at a time in one JSON-RPC batch with automine off, then mined into one block with <c>evm_mine</c> (a consortium
/// chain's block of a couple of seconds). Every block is checked
/// to hold every transaction sent for it, and the contract's counters to match at the end.
/// </summary>
public sealed class ReplayLedger
{
    public const int KeysPerTitle = 3;
    public const int TitlesPerLot = 100;
    public const int TitlesPerPledge = 10;
    public const int TransactionsPerBlock = 200;
    private const int TransactionsPerPost = 200;
    private const ulong Gas = 400_000;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly Uri _rpc;
    private readonly string _contract;
    private readonly Dictionary<string, ulong> _nonces = [];
    private long _id;

    private readonly AnvilChain _chain;

    private ReplayLedger(AnvilChain chain, DevConsortium consortium)
    {
        _chain = chain;
        _rpc = new Uri(chain.RpcUrl);
        _contract = consortium.ContractAddress;
        Consortium = consortium;
    }

    public DevConsortium Consortium { get; }

    /// <summary>Registers <paramref name="titles"/> titles, then pledges, releases, blocked attempts and transfers in proportion.</summary>
    public static async Task<ReplayLedgerShape> BuildAsync(
        AnvilChain chain, int titles, TextWriter log, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var consortium = await DevConsortium.DeployAsync(chain, cancellationToken: cancellationToken);
        var ledger = new ReplayLedger(chain, consortium);
        try
        {
            return await ledger.WriteAsync(titles, log, stopwatch, cancellationToken);
        }
        finally
        {
            ledger._http.Dispose();
        }
    }

    private async Task<ReplayLedgerShape> WriteAsync(int titles, TextWriter log, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        var trader = Consortium.Member("trader").Address;
        var carrier = Consortium.Member("carrier").Address;
        var bankA = Consortium.Member("bank A").Address;
        var bankB = Consortium.Member("bank B").Address;
        await CallAsync("evm_setAutomine", "[false]", cancellationToken);
        var unit = new byte[8];
        "TNE"u8.CopyTo(unit);

        // Issue 14: the port of loading attests each lot first; the carrier bound to the B/Ls' carrier code issues the titles to the
        // trader.
        var loadedAt = await ChainTimeAsync(cancellationToken) - 60;
        await SendAllAsync(
            Consortium.Member("port").Address,
            Enumerable.Range(0, (titles + TitlesPerLot - 1) / TitlesPerLot).Select(l => new AttestLoadingFunction
        {
            LotKey = Label("lot", l), Locode = LedgerCode.ToBytes("SGSIN"), Quantity = TitlesPerLot * 25UL, Unit = unit,
            LoadedAt = loadedAt, DocumentHash = Label("loading", l),
        }.GetCallData()), "lots attested", log, cancellationToken);
        await SendAllAsync(
            carrier, Enumerable.Range(1, titles)
            .Select(i =>
            RegisterTitleFunction.OneLot(
            BenchmarkIssuance.CarrierCode, Label("lot", (i - 1) / TitlesPerLot), trader, 25, unit,
            [.. Enumerable.Range(0, KeysPerTitle).Select(k => Label("key", i * KeysPerTitle + k))]).GetCallData()), "titles registered",
            log, cancellationToken);

        // Half the titles financed by bank A, ten to a pledge; half of those repaid and released.
        var expiry = await ChainTimeAsync(cancellationToken) + 90 * 86_400UL;
        var pledged = titles / 2 / TitlesPerPledge;
        // Each pledge carries the trader's consent; its nonces run in the order the pledges are mined.
        var deadline = expiry;
        ulong consentNonce = 0;
        PledgeFunction Consented(string bank, byte[] reference, ulong[] titleIds) => new()
        {
            FinancingReference = reference, Expiry = expiry, TitleIds = [.. titleIds],
            Consent = Consent(bank, titleIds, reference, expiry, consentNonce++, deadline),
        };
        await SendAllAsync(bankA, Enumerable.Range(0, pledged).Select(p => Consented(bankA, Label("loan", p), [.. TitleIdsOfPledge(p)])
            .GetCallData()), "pledges", log, cancellationToken);
        var released = pledged / 2;
        await SendAllAsync(bankA, Enumerable.Range(0, released).Select(p => new ReleaseFunction
        {
            PledgeId = (ulong)p + 1,
            TitleIds = [.. TitleIdsOfPledge(p)],
        }.GetCallData()), "releases", log, cancellationToken);

        // Bank B reaches for titles bank A still holds: one title per attempt, each recorded as PledgeBlocked.
        var blocked = Math.Min(titles / 100, pledged - released);
        await SendAllAsync(
            bankB, Enumerable.Range(0, blocked)
            .Select(b => Consented(bankB, Label("second loan", b), [TitleIdsOfPledge(released + b).First()])
            .GetCallData()), "blocked attempts", log, cancellationToken);

        // A tenth of the titles, never pledged, endorsed to the carrier.
        var transfers = titles / 10;
        var firstUnpledged = (ulong)pledged * TitlesPerPledge + 1;
        await SendAllAsync(
            trader, Enumerable.Range(0, Math.Min(transfers, titles - (int)firstUnpledged + 1)).Select(t => new TransferTitleFunction
        {
            TitleId = firstUnpledged + (ulong)t,
            NewHolder = carrier,
        }.GetCallData()), "transfers", log, cancellationToken);

        await CallAsync("evm_setAutomine", "[true]", cancellationToken);
        var counts = await Consortium.LedgerAs(Consortium.Admins[0]).QueryAsync<CountsFunction, CountsOutput>(new());
        if (counts.Titles != (ulong)titles || counts.Pledges != (ulong)pledged)
        {
            throw new InvalidOperationException(
                $"The chain holds {counts.Titles} titles and {counts.Pledges} pledges; {titles} and {pledged} were sent.");
        }
        var head = EthLogReaderQuantity(await CallAsync("eth_blockNumber", "[]", cancellationToken));
        return new ReplayLedgerShape(
            _contract, titles, KeysPerTitle, pledged, TitlesPerPledge, released, blocked, transfers, head, stopwatch.Elapsed);

        static IEnumerable<ulong> TitleIdsOfPledge(int pledge) =>
            Enumerable.Range(pledge * TitlesPerPledge + 1, TitlesPerPledge).Select(t => (ulong)t);
    }

    /// <summary>The trader's signed consent to <paramref name="bank"/>'s pledge of exactly these titles.</summary>
    private ConsentData Consent(string bank, ulong[] titleIds, byte[] reference, ulong expiry, ulong nonce, ulong deadline)
    {
        var terms = new PledgeConsentTerms(bank, titleIds, [], reference, expiry, nonce, deadline);
        var traderKey = _chain.Accounts[Consortium.Member("trader").Account].PrivateKey;
        return PledgeConsent.Argument(
            terms, PledgeConsent.Sign(PledgeConsent.Digest(terms, new ConsentDomain(_chain.ChainId, _contract)), traderKey));
    }

    /// <summary>
    /// Sends the calls (ABI-encoded) from <paramref name="from"/>, a block at a time, and checks each block holds them all.
    /// </summary>
    private async Task SendAllAsync(
        string from, IEnumerable<byte[]> calls, string what, TextWriter log, CancellationToken cancellationToken)
    {
        var sent = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var block in calls.Chunk(TransactionsPerBlock))
        {
            foreach (var post in block.Chunk(TransactionsPerPost))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await BatchAsync(post.Select(call => ("eth_sendTransaction", Transaction(from, call))), cancellationToken);
            }
            await CallAsync("evm_mine", "[]", cancellationToken);
            var mined = await BatchAsync([("eth_getBlockByNumber", """["latest",false]""")], cancellationToken);
            var transactions = mined[0].GetProperty("transactions").GetArrayLength();
            if (transactions != block.Length) throw new InvalidOperationException(
                $"A block holds {transactions} of the {block.Length} transactions sent for it.");
            sent += block.Length;
        }
        await CheckLastReceiptAsync(cancellationToken);
        log.WriteLine($"  {sent,9:N0} {what} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    /// <summary>
    /// A reverted call is mined with status 0: the final counts would catch a missing title, this catches a failed release or transfer
    /// early.
    /// </summary>
    private async Task CheckLastReceiptAsync(CancellationToken cancellationToken)
    {
        var block = (await BatchAsync([("eth_getBlockByNumber", """["latest",false]""")], cancellationToken))[0];
        var hashes = block.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()!).ToList();
        var receipts = await BatchAsync(hashes.Select(h => ("eth_getTransactionReceipt", $"[\"{h}\"]")), cancellationToken);
        var failed = receipts.Count(r => r.GetProperty("status").GetString() != "0x1");
        if (failed > 0) throw new InvalidOperationException($"{failed} transactions of the last block failed.");
    }

    private string Transaction(string from, byte[] callData)
    {
        var nonce = _nonces.GetValueOrDefault(from);
        _nonces[from] = nonce + 1;
        return string.Create(CultureInfo.InvariantCulture, $$"""[{"from":"{{from}}","to":"{{_contract}}","gas":"0x""")
            + string.Create(CultureInfo.InvariantCulture, $$"""{{Gas:x}}","nonce":"0x{{nonce:x}}","data":"{{callData.ToHex(true)}}"}]""");
    }

    private async Task<ulong> ChainTimeAsync(CancellationToken cancellationToken)
    {
        var block = (await BatchAsync([("eth_getBlockByNumber", """["latest",false]""")], cancellationToken))[0];
        return EthLogReaderQuantity(block.GetProperty("timestamp").GetString()!);
    }

    private async Task<string> CallAsync(string method, string parameters, CancellationToken cancellationToken)
    {
        var result = (await BatchAsync([(method, parameters)], cancellationToken))[0];
        return result.ValueKind == JsonValueKind.String ? result.GetString()! : result.ToString();
    }

    /// <summary>One JSON-RPC batch; every answer's result in request order, or the first error thrown.</summary>
    private async Task<List<JsonElement>> BatchAsync(
        IEnumerable<(string Method, string Parameters)> calls, CancellationToken cancellationToken)
    {
        var request = new StringBuilder("[");
        var first = _id + 1;
        foreach (var (method, parameters) in calls)
        {
            if (request.Length > 1) request.Append(',');
            request.Append(
                CultureInfo.InvariantCulture, $$"""{"jsonrpc":"2.0","id":{{++_id}},"method":"{{method}}","params":{{parameters}}}""");
        }
        request.Append(']');
        using var content = new StringContent(request.ToString(), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(_rpc, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        var answers = json.RootElement.EnumerateArray().OrderBy(a => a.GetProperty("id").GetInt64()).ToList();
        var error = answers.FirstOrDefault(a => a.TryGetProperty("error", out _));
        if (error.ValueKind != JsonValueKind.Undefined) throw new InvalidOperationException(
            $"The chain refused call {error.GetProperty("id").GetInt64() - first + 1}: {error.GetProperty("error")}");
        return [.. answers.Select(a => a.GetProperty("result").Clone())];
    }

    private static ulong EthLogReaderQuantity(string hex) =>
        ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static byte[] Label(string kind, int index) => Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes($"{kind}:{index}"));
}
