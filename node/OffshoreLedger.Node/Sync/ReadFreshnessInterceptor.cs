using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Chain;

namespace OffshoreLedger.Node.Sync;

/// <summary>
/// Tells every answer read from the index how fresh it is: the answer's <see cref="BlockStamp"/> (<c>as_of</c>, or the
/// node info's <c>synced</c>) gets when the index was last at the chain's head and whether the node can still vouch
/// that it is current. Reads keep working while the chain is away, so callers must be able to tell; doing it here
/// means every read RPC says it the same way without each service tracking the follower.
/// </summary>
public sealed class ReadFreshnessInterceptor(ChainFollower follower, TimeProvider time, IOptions<ChainOptions> options) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var response = await continuation(request, context);
        if (response is IMessage message) StampFreshness(message);
        return response;
    }

    private void StampFreshness(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType != FieldType.Message || field.IsRepeated || field.MessageType != BlockStamp.Descriptor) continue;
            // An answer read at the chain head carries the time it was read and is current by construction.
            if (field.Accessor.GetValue(message) is not BlockStamp { SyncedAt: null } stamp) continue;
            var caughtUpAt = follower.CaughtUpAt;
            if (caughtUpAt is { } at) stamp.SyncedAt = Timestamp.FromDateTimeOffset(at);
            stamp.Stale = !follower.ChainReachable
                || caughtUpAt is null
                || time.GetUtcNow() - caughtUpAt > TimeSpan.FromSeconds(options.Value.StaleAfterSeconds);
        }
    }
}
