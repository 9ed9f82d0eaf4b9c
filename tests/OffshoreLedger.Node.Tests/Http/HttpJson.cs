using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Http;

namespace OffshoreLedger.Node.Tests.Http;

/// <summary>
/// A plain HTTP/JSON caller of a running node, as an integration team's code would be: HTTP/2 without TLS (a plaintext
/// node speaks HTTP/2 only), HTTP/1.1 over TLS.
/// </summary>
public sealed class HttpJson(RunningNode node) : IDisposable
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(HttpStatusResponse.ErrorDetails));

    private readonly HttpClient _client = new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    }) { BaseAddress = new Uri(node.Url) };

    private readonly Version _version = node.Url.StartsWith("https:", StringComparison.Ordinal) ? new Version(1, 1) : new Version(2, 0);

    public async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string? apiKey, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path)
            { Version = _version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (apiKey is not null) request.Headers.Add(ApiKeys.Header, apiKey);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        var response = await _client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public Task<(int Status, string Body, HttpResponseMessage Response)> PostAsync(string path, string? apiKey, IMessage request) =>
        SendAsync(HttpMethod.Post, path, apiKey, Formatter.Format(request));

    public static T Parse<T>(string json) where T : IMessage, new() => (T)Parser.Parse(json, new T().Descriptor);

    public static Google.Rpc.Status Status(string json) => Parse<Google.Rpc.Status>(json);

    public void Dispose() => _client.Dispose();
}
