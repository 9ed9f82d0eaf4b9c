using Grpc.AspNetCore.Server;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Limits;

namespace OffshoreLedger.Node.Http;

/// <summary>
/// An HTTP/JSON request body is held to the same limit as the RPC's gRPC message (<see cref="MessageSizes"/>): a
/// declared Content-Length over it is refused RESOURCE_EXHAUSTED (<c>MESSAGE_TOO_LARGE</c>) before the body is read;
/// a body without one (chunked) is cut off when it passes the limit, with the same refusal. gRPC calls are checked by
/// <see cref="MalformedRequestMethodProvider{TService}"/> on their message length.
/// </summary>
public sealed class HttpBodyLimit(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } rpc
            || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            return next(context);
        }
        var method = rpc.Method.FullName;
        var maxBytes = MessageSizes.For(method);
        if (context.Request.ContentLength is { } length && length > maxBytes)
        {
            return GrpcStatusResponse.WriteAsync(context, RpcErrors.MessageTooLarge(method, (int)Math.Min(length, int.MaxValue), maxBytes));
        }
        context.Request.Body = new LimitedBody(context.Request.Body, method, maxBytes);
        return next(context);
    }

    /// <summary>Reads through to the request body and throws the RPC's refusal once more than the limit was read.</summary>
    private sealed class LimitedBody(Stream inner, string method, int maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            if (_read > maxBytes) throw RpcErrors.MessageTooLarge(method, (int)Math.Min(_read, int.MaxValue), maxBytes);
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
