using Grpc.Health.V1;
using Grpc.Net.Client;

namespace OffshoreLedger.Node.Hosting;

/// <summary>
/// <c>healthcheck [URL]</c>: asks a node's standard gRPC health service whether it is serving, for container
/// health checks (the runtime image has no other gRPC client). Exit 0 when serving, 1 otherwise.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(string url, TextWriter output)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(url);
            var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            output.WriteLine(response.Status);
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (Grpc.Core.RpcException ex)
        {
            output.WriteLine(ex.Status.StatusCode);
            return 1;
        }
    }
}
