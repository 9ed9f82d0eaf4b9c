using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using OffshoreLedger.Node.Limits;

namespace OffshoreLedger.Node.Errors;

/// <summary>
/// Binds every gRPC service as grpc-dotnet's own binder does (the generated <c>BindService</c>, each RPC to the
/// service's method of that name), except that a request body that is not a message of the RPC's type is refused with
/// INVALID_ARGUMENT (<c>MALFORMED_MESSAGE</c>). grpc-dotnet parses the body before any interceptor runs and reports a
/// parse failure as UNKNOWN "Exception was thrown by handler", which a caller cannot tell from a crash. A body larger than
/// its RPC takes (<see cref="MessageSizes"/>) is refused RESOURCE_EXHAUSTED (<c>MESSAGE_TOO_LARGE</c>) before parsing.
/// </summary>
public sealed class MalformedRequestMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        if (typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true) is not { } bind) return;
        var bindService = bind.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Single(m => m.Name == bind.BindMethodName && m.GetParameters() is [var binder, _]
                && binder.ParameterType == typeof(ServiceBinderBase));
        bindService.Invoke(null, [new Binder(context), null]);
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(
            Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<Grpc.AspNetCore.Server.Model.UnaryServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(ServerCallContext));
            context.AddUnaryMethod(Checked(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(
            Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<Grpc.AspNetCore.Server.Model.ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddServerStreamingMethod(Checked(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(
            Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<Grpc.AspNetCore.Server.Model.ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
            context.AddClientStreamingMethod(Checked(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(
            Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Bind<Grpc.AspNetCore.Server.Model.DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
            context.AddDuplexStreamingMethod(Checked(method), metadata, invoker);
        }

        /// <summary>The service's method for an RPC, and the endpoint metadata grpc-dotnet gives it (its attributes, POST only).</summary>
        private static (TDelegate Invoker, List<object> Metadata) Bind<TDelegate>(string name, params Type[] parameters)
            where TDelegate : Delegate
        {
            var handler = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {name} for its RPC.");
            List<object> metadata =
            [
                .. typeof(TService).GetCustomAttributes(inherit: true), .. handler.GetCustomAttributes(inherit: true),
                new HttpMethodMetadata(["POST"], acceptCorsPreflight: true),
            ];
            return (handler.CreateDelegate<TDelegate>(), metadata);
        }

        private static Method<TRequest, TResponse> Checked<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class
        {
            var parse = method.RequestMarshaller.ContextualDeserializer;
            var maxBytes = MessageSizes.For(method.FullName);
            var checkedParse = (DeserializationContext body) =>
            {
                if (body.PayloadLength > maxBytes) throw RpcErrors.MessageTooLarge(method.FullName, body.PayloadLength, maxBytes);
                try
                {
                    return parse(body);
                }
                catch (InvalidProtocolBufferException ex)
                {
                    throw RpcErrors.MalformedMessage(method.FullName, ex.Message);
                }
            };
            return new(
                method.Type, method.ServiceName, method.Name,
                Marshallers.Create(method.RequestMarshaller.ContextualSerializer, checkedParse), method.ResponseMarshaller);
        }
    }
}
