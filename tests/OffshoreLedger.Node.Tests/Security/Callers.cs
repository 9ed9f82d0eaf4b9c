using System.Net;
using System.Net.Sockets;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>
/// Distinct callers of one node over real sockets. Each connects from its own loopback address (127.0.0.1, 127.0.0.2,
/// …: Linux routes all of 127/8 to lo), so a node that partitions by remote address, and one that partitions by the
/// authenticated key name, both see them as different callers.
/// </summary>
public static class Callers
{
    /// <summary>A channel to <paramref name="url"/> whose connections come from <paramref name="sourceAddress"/>.</summary>
    public static GrpcChannel From(string url, string sourceAddress) => GrpcChannel.ForAddress(url, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        },
    });

    /// <summary>The ErrorInfo reason and metadata of a refusal.</summary>
    public static (string Reason, IReadOnlyDictionary<string, string> Metadata) Info(RpcException refusal)
    {
        var info = refusal.GetRpcStatus()?.GetDetail<ErrorInfo>();
        return (info?.Reason ?? "", info?.Metadata.ToDictionary(m => m.Key, m => m.Value) ?? []);
    }

    /// <summary>The fields a refusal names in its BadRequest.</summary>
    public static IReadOnlyList<string> Fields(RpcException refusal) =>
        refusal.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.Select(v => v.Field).ToList() ?? [];
}
