using Grpc.AspNetCore.Server;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Limits;

namespace OffshoreLedger.Node.Http;

/// <summary>
/// An HTTP/JSON request body is held to the same limit as the RPC's gRPC message (<see cref="MessageSizes"/>) and
/// refused RESOURCE_EXHAUSTED (<c>MESSAGE_TOO_LARGE</c>) as google.rpc.Status JSON before it is parsed: at once when its
/// Content-Length says so, else (a chunked body) once more than the limit has arrived. The body is read into memory up
/// to the limit (at most <see cref="MessageSizes.DocumentBatch"/>), as gRPC buffers a message. gRPC calls are checked by
/// <see cref="MalformedRequestMethodProvider{TService}"/> on their message length.
/// </summary>
public sealed class HttpBodyLimit(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } rpc
            || request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true
            || HttpMethods.IsGet(request.Method))
        {
            await next(context);
            return;
        }
        var method = rpc.Method.FullName;
        var maxBytes = MessageSizes.For(method);
        if (request.ContentLength is { } length && length > maxBytes)
        {
            await GrpcStatusResponse.WriteAsync(context, RpcErrors.MessageTooLarge(method, (int)Math.Min(length, int.MaxValue), maxBytes));
            return;
        }
        var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                await GrpcStatusResponse.WriteAsync(
                    context, RpcErrors.MessageTooLarge(method, (int)Math.Min(body.Length + read, int.MaxValue), maxBytes));
                return;
            }
            body.Write(chunk, 0, read);
        }
        body.Position = 0;
        request.Body = body;
        context.Response.RegisterForDispose(body);
        await next(context);
    }
}
