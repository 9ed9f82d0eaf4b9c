using System.Globalization;
using System.Text;
using Grpc.Core;
using OffshoreLedger.Node.Http;

namespace OffshoreLedger.Node.Errors;

/// <summary>
/// Answers a gRPC call from middleware, before any handler runs or the request body is read: a trailers-only response
/// (HTTP 200, the status in the headers) carrying the same status and <c>google.rpc.Status</c> details a handler's
/// <see cref="RpcException"/> from <see cref="RpcErrors"/> would. A request that is not gRPC (HTTP/JSON, the console)
/// gets the same status as JSON instead (<see cref="HttpStatusResponse"/>).
/// </summary>
public static class GrpcStatusResponse
{
    private const string DetailsTrailer = "grpc-status-details-bin";

    public static Task WriteAsync(HttpContext context, RpcException error)
    {
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            return HttpStatusResponse.WriteAsync(context, error);
        }
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)error.StatusCode).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(error.Status.Detail);
        foreach (var entry in error.Trailers)
        {
            // Binary values travel base64-encoded without padding (gRPC over HTTP/2, "Custom-Metadata").
            response.Headers[entry.Key] = entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;
        }
        if (!response.Headers.ContainsKey(DetailsTrailer)) throw new InvalidOperationException(
            "Build the error with RpcErrors so it carries its details.");
        return response.CompleteAsync();
    }

    /// <summary>grpc-message is percent-encoded UTF-8: every byte outside printable ASCII, and '%' itself.</summary>
    private static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%') text.Append((char)b);
            else text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
