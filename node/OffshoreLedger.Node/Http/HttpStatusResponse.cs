using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Grpc.Core;

namespace OffshoreLedger.Node.Http;

/// <summary>
/// Answers an HTTP/JSON request from middleware (authorisation, limits) the way JSON transcoding answers a handler's
/// <see cref="RpcException"/>: the HTTP status Google's mapping gives the gRPC code, and a <c>google.rpc.Status</c> body
/// (code, message, details with their <c>@type</c>) in the proto3 JSON form.
/// </summary>
public static class HttpStatusResponse
{
    /// <summary>The detail types an error of this node can carry, for <c>@type</c> in JSON (transcoding uses the same registry).</summary>
    public static readonly TypeRegistry ErrorDetails = TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor);

    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(ErrorDetails));

    public static Task WriteAsync(HttpContext context, RpcException error)
    {
        var status = error.GetRpcStatus() ?? new Google.Rpc.Status { Code = (int)error.StatusCode, Message = error.Status.Detail };
        context.Response.StatusCode = HttpStatusOf(error.StatusCode);
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(Formatter.Format(status), context.RequestAborted);
    }

    /// <summary>google/rpc/code.proto's HTTP mapping, as JSON transcoding applies it to handlers' errors.</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
