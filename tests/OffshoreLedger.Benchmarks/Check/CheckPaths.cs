using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Nethereum.Contracts.ContractHandlers;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Benchmarks.Check;

/// <summary>One way of asking "is this collateral taken?", as a request the load generator can repeat.</summary>
/// <param name="Name">How the report names the path.</param>
/// <param name="KeysPerRequest">Keys asked about in one request.</param>
/// <param name="Call">Sends request number <c>sequence</c> (the caller's index is the first argument) and checks the answer's
/// shape.</param>
public sealed record CheckPath(string Name, int KeysPerRequest, Func<int, long, Task> Call);

/// <summary>
/// The node's CheckCollateral over one h2c <see cref="GrpcChannel"/> shared by every caller. HTTP/2 multiplexes the
/// callers' streams; <see cref="SocketsHttpHandler.EnableMultipleHttp2Connections"/> lets the channel open another
/// connection when one reaches Kestrel's concurrent-stream limit (100), as a busy bank-side client would.
/// </summary>
public sealed class GrpcCheckClient : IDisposable
{
    private const int RequestPool = 1_024;

    private readonly GrpcChannel _channel;
    private readonly TitleService.TitleServiceClient _titles;
    private readonly CallOptions _options;

    public GrpcCheckClient(string url, Metadata headers)
    {
        _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            },
        });
        _titles = new TitleService.TitleServiceClient(_channel);
        _options = new CallOptions(headers);
    }

    /// <summary>
    /// CheckCollateral of <paramref name="keysPerRequest"/> keys drawn at random (fixed seed) from <paramref name="keys"/>.
    /// </summary>
    public CheckPath Path(string name, IReadOnlyList<ByteString> keys, int keysPerRequest, Consistency consistency)
    {
        var random = new Random(keysPerRequest * 31 + (int)consistency);
        // Requests are built up front so the callers measure the call, not the building of its message.
        var requests = Enumerable.Range(0, RequestPool).Select(_ =>
        {
            var request = new CheckCollateralRequest { Consistency = consistency };
            request.Keys.AddRange(Enumerable.Range(0, keysPerRequest).Select(_ => keys[random.Next(keys.Count)]));
            return request;
        }).ToArray();
        return new CheckPath(name, keysPerRequest, async (_, sequence) =>
        {
            var response = await _titles.CheckCollateralAsync(requests[sequence % RequestPool], _options);
            if (response.Keys.Count != keysPerRequest || response.Keys[0].TitleId == 0)
            {
                throw new InvalidOperationException(
                    $"CheckCollateral answered {response.Keys.Count} keys (first in title {response.Keys.FirstOrDefault()?.TitleId}); " +
                    $"expected {keysPerRequest} registered keys.");
            }
        });
    }

    public void Dispose() => _channel.Dispose();
}

/// <summary>
/// The same question put straight to the chain: the contract's keyState view by eth_call, through Nethereum's QueryHandler.
/// </summary>
public sealed class EthCallCheckClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly IContractQueryHandler<KeyStateFunction> _keyState;
    private readonly string _contract;

    public EthCallCheckClient(string rpcUrl, string contractAddress)
    {
        // Nethereum's own HttpClient caps connections per server; give it an uncapped pool so 64 callers get 64 connections.
        _http = new HttpClient(
            new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(rpcUrl),
        };
        var web3 = new Web3(new RpcClient(new Uri(rpcUrl), _http));
        _keyState = web3.Eth.GetContractQueryHandler<KeyStateFunction>();
        _contract = contractAddress;
    }

    public CheckPath Path(string name, IReadOnlyList<ByteString> keys)
    {
        var messages = keys.Select(k => new KeyStateFunction { Key = k.ToByteArray() }).ToArray();
        return new CheckPath(name, 1, async (_, sequence) =>
        {
            var state = await _keyState.QueryDeserializingToObjectAsync<KeyStateOutput>(
                messages[sequence % messages.Length], _contract, null);
            if (state.TitleId == 0) throw new InvalidOperationException("keyState answered a registered key as in no title.");
        });
    }

    public void Dispose() => _http.Dispose();
}
