using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Benchmarks.Memory;

/// <summary>
/// Fills a development chain with titles fast: registrations pre-signed by the carrier with <see cref="TransactionSigner"/>
/// (nonces counted locally, fixed gas), sent as JSON-RPC batches with anvil's automine off, and mined
/// <c>titlesPerBlock</c> to a block by <c>evm_mine</c>. The chain ends exactly as many real RegisterTitle writes
/// would leave it, only without a node in the way.
/// </summary>
public sealed class TitleFactory(AnvilChain chain, DevConsortium consortium, int titlesPerBlock)
{
    /// <summary>
    /// Registrations a block by default: anvil's 100M-gas block full. Anvil recomputes the state root for every block it
    /// mines, at a cost that grows with the contract's storage, so filling the chain costs (blocks × storage): 10 to a block
    /// took minutes for 20,000 titles, and 400 slowed from 1,500 to 273 titles/s by 150,000. Larger scales take larger
    /// blocks (<see cref="BlockGasLimit"/>).
    /// </summary>
    public const int DefaultTitlesPerBlock = 400;

    /// <summary>The block gas limit a chain needs for <paramref name="titlesPerBlock"/> registrations a block.</summary>
    public static long BlockGasLimit(int titlesPerBlock) => Math.Max(100_000_000, titlesPerBlock * GasPerRegistration + 10_000_000);

    public const int KeysPerTitle = 5;
    private const int RequestsPerBatch = 200;
    private const long GasPerRegistration = 300_000; // 5 keys on an attested lot use ~190,000

    /// <summary>One registered title in this many gives its first key to <see cref="SampleKeys"/>.</summary>
    public const int SampleEvery = 10;

    private readonly HttpClient _http = new() { BaseAddress = new Uri(chain.RpcUrl) };
    private byte[][] _sample = [];

    /// <summary>
    /// The first key of every <see cref="SampleEvery"/>th title registered, in order (title id 1 + i × SampleEvery): what a
    /// bank's checks ask about.
    /// </summary>
    public IReadOnlyList<byte[]> SampleKeys => _sample;
    private long _rpcId;

    /// <summary>
    /// Registers <paramref name="count"/> titles of <see cref="KeysPerTitle"/> random keys to the trader, on one attested lot.
    /// </summary>
    public async Task<TimeSpan> RegisterAsync(int count, IProgress<int> progress, CancellationToken cancellationToken)
    {
        // Issue 14: the carrier bound to the code issues, to the trader, on a lot the port attested (one, with room for all).
        var trader = consortium.Member("trader");
        var carrier = consortium.Member("carrier");
        var lot = (await BenchmarkIssuance.AttestLotAsync(chain, consortium, cancellationToken)).ToByteArray();
        var key = chain.Accounts[carrier.Account];
        var web3 = chain.Web3For(carrier.Account);
        var nonce =
            (long)(await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(carrier.Address, BlockParameter.CreatePending())).Value;
        var baseFee = (await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()))
            .BaseFeePerGas.Value;
        var gasPrice = (await web3.Eth.GasPrice.SendRequestAsync()).Value * 2;

        _sample = new byte[(count + SampleEvery - 1) / SampleEvery][];
        var clock = Stopwatch.StartNew();
        await CallAsync("evm_setAutomine", [false], cancellationToken);
        try
        {
            // Whole blocks a chunk.
            var chunk = Math.Max(1_000, titlesPerBlock);
            // Signing the next chunk (both cores) overlaps sending and mining this one.
            Task<string[]> Sign(int from, int size, long firstNonce) => Task.Run(() =>
            {
                var signed = new string[size];
                Parallel.For(0, size, () => new TransactionSigner(key.PrivateKey, chain.ChainId), (i, _, own) =>
                {
                    List<byte[]> keys = [.. Enumerable.Range(0, KeysPerTitle).Select(_ => RandomNumberGenerator.GetBytes(32))];
                    if ((from + i) % SampleEvery == 0) _sample[(from + i) / SampleEvery] = keys[0];
                    var call = RegisterTitleFunction.OneLot(
                        BenchmarkIssuance.CarrierCode, lot, trader.Address, 100, [(byte)'T', (byte)'N', (byte)'E', 0, 0, 0, 0, 0], keys);
                    signed[i] = "0x" + own.SignLegacy(
                        consortium.ContractAddress, 0, firstNonce + i, gasPrice, GasPerRegistration, call.GetCallData().ToHex(true));
                    return own;
                }, own => own.Dispose());
                return signed;
            }, cancellationToken);

            var next = Sign(0, Math.Min(chunk, count), nonce);
            for (var from = 0; from < count; from += chunk)
            {
                var signed = await next;
                var following = from + chunk;
                if (following < count) next = Sign(following, Math.Min(chunk, count - following), nonce + following);
                for (var b = 0; b < signed.Length; b += titlesPerBlock)
                {
                    // Full blocks raise the EIP-1559 base fee by an eighth each; hold it where it started.
                    await CallAsync("anvil_setNextBlockBaseFeePerGas", [new HexBigInteger(baseFee).HexValue], cancellationToken);
                    await SendBatchAsync(signed.Skip(b).Take(titlesPerBlock).ToArray(), cancellationToken);
                    await CallAsync("evm_mine", [], cancellationToken);
                }
                progress.Report(from + signed.Length);
            }
        }
        finally
        {
            await CallAsync("evm_setAutomine", [true], CancellationToken.None);
        }
        var elapsed = clock.Elapsed;

        // Every registration landed: the contract counts them (none reverted, none left in the pool).
        var counts = await consortium.LedgerAs(trader).QueryAsync<CountsFunction, CountsOutput>(new CountsFunction());
        if (counts.Titles < (ulong)count) throw new InvalidOperationException(
            $"Only {counts.Titles:N0} titles on chain after registering {count:N0}.");
        return elapsed;
    }

    private async Task SendBatchAsync(IReadOnlyList<string> signed, CancellationToken cancellationToken)
    {
        foreach (var chunk in signed.Chunk(RequestsPerBatch))
        {
            var batch = new JsonArray([.. chunk.Select(tx => Request("eth_sendRawTransaction", [tx]))]);
            using var response = await _http.PostAsJsonAsync("", batch, cancellationToken);
            response.EnsureSuccessStatusCode();
            var answers = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken) ?? [];
            if (answers.FirstOrDefault(a => a?["error"] is not null) is { } failed) throw new InvalidOperationException(
                $"eth_sendRawTransaction failed: {failed.ToJsonString()}");
        }
    }

    private async Task CallAsync(string method, object[] parameters, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("", Request(method, parameters), cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        if (answer?["error"] is { } error) throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
    }

    private JsonObject Request(string method, object[] parameters) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = Interlocked.Increment(ref _rpcId),
        ["method"] = method,
        ["params"] = JsonSerializer.SerializeToNode(parameters),
    };
}
