using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;

namespace OffshoreLedger.Node.Chain;

/// <summary>
/// Nethereum's JSON-RPC client over several endpoints of one chain (Chain:RpcUrl and Chain:RpcUrls): a call goes to the
/// endpoint that answered last, and only when that one does not answer at all to the next. An error an endpoint answers
/// with is the chain's answer and is not retried elsewhere.
/// </summary>
public sealed class FailoverClient(IReadOnlyList<IClient> clients) : IClient
{
    private int _current;

    public RequestInterceptor? OverridingRequestInterceptor
    {
        get => clients[0].OverridingRequestInterceptor;
        set
        {
            foreach (var client in clients) client.OverridingRequestInterceptor = value;
        }
    }

    public Task<T> SendRequestAsync<T>(RpcRequest request, string? route = null) =>
        FailoverAsync(c => c.SendRequestAsync<T>(request, route));

    public Task<T> SendRequestAsync<T>(string method, string? route = null, params object[] paramList) =>
        FailoverAsync(c => c.SendRequestAsync<T>(method, route, paramList));

    public Task SendRequestAsync(RpcRequest request, string? route = null) =>
        FailoverAsync(async c => { await c.SendRequestAsync(request, route); return true; });

    public Task SendRequestAsync(string method, string? route = null, params object[] paramList) =>
        FailoverAsync(async c => { await c.SendRequestAsync(method, route, paramList); return true; });

    public Task<RpcRequestResponseBatch> SendBatchRequestAsync(RpcRequestResponseBatch rpcRequestResponseBatch) =>
        FailoverAsync(c => c.SendBatchRequestAsync(rpcRequestResponseBatch));

    public Task<RpcResponseMessage> SendAsync(RpcRequestMessage rpcRequestMessage, string? route = null) =>
        FailoverAsync(c => c.SendAsync(rpcRequestMessage, route));

    public T DecodeResult<T>(RpcResponseMessage rpcResponseMessage) => clients[0].DecodeResult<T>(rpcResponseMessage);

    private async Task<T> FailoverAsync<T>(Func<IClient, Task<T>> call)
    {
        var first = Volatile.Read(ref _current);
        for (var attempt = 0; ; attempt++)
        {
            var index = (first + attempt) % clients.Count;
            try
            {
                var result = await call(clients[index]);
                Volatile.Write(ref _current, index);
                return result;
            }
            catch (Exception ex) when (attempt + 1 < clients.Count && ChainAvailability.IsUnreachable(ex))
            {
                // Not answered at all: the next endpoint.
            }
        }
    }
}
