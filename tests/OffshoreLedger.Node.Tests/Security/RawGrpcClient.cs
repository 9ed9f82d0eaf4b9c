using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>What a raw gRPC call came back with: the HTTP status, and the gRPC status and reason when there is one.</summary>
public sealed record RawGrpcAnswer(string Path, HttpStatusCode Http, StatusCode? Grpc, string? Reason, string? Message)
{
    public override string ToString() =>
        $"{Path} → HTTP {(int)Http}, grpc-status {(Grpc is { } g ? g.ToString() : "none")} {Reason} {Message}";
}

/// <summary>
/// A tiny gRPC client over raw HTTP/2 (prior knowledge, no TLS) that sends a message to any path exactly as written:
/// letter case, doubled or trailing slashes and percent-encoding reach the server untouched, as they would from curl
/// or a hand-made attacker's client. The generated clients cannot send such paths.
/// </summary>
public sealed class RawGrpcClient(string baseUrl) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(60) };

    public async Task<RawGrpcAnswer> CallAsync(string path, IMessage message, string? apiKey = null)
    {
        var uri = new Uri(baseUrl.TrimEnd('/') + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var body = message.ToByteArray();
        var frame = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
        body.CopyTo(frame, 5);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (apiKey is not null) request.Headers.TryAddWithoutValidation("x-api-key", apiKey);

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        // A trailers-only answer carries the status in its headers; otherwise it follows the body in the trailers.
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var inHeaders) ? inHeaders.First()
            : response.TrailingHeaders.TryGetValues(name, out var inTrailers) ? inTrailers.First()
            : null;
        var status = Header("grpc-status") is { } code
            ? (StatusCode?)int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : null;
        string? reason = null;
        if (Header("grpc-status-details-bin") is { } details)
        {
            var rpcStatus = Google.Rpc.Status.Parser.ParseFrom(Convert.FromBase64String(Padded(details)));
            reason = rpcStatus.Details.Select(d => d.TryUnpack<ErrorInfo>(out var info) ? info.Reason : null)
                .FirstOrDefault(r => r is not null);
        }
        return new RawGrpcAnswer(
            path, response.StatusCode, status, reason, Header("grpc-message") is { } m ? Uri.UnescapeDataString(m) : null);
    }

    private static string Padded(string base64) => base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');

    public void Dispose() => _http.Dispose();
}
