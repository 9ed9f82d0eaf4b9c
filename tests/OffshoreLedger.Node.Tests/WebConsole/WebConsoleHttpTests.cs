using System.Net;
using System.Text;
using Google.Rpc;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Tests.Http;
using OffshoreLedger.Node.WebConsole;

namespace OffshoreLedger.Node.Tests.WebConsole;

/// <summary>The web console's files as served, and HTTP/JSON bodies held to the gRPC message limits (issue 19).</summary>
[Collection(NodeCollection.Name)]
public sealed class WebConsoleHttpTests(ConsortiumFixture fixture)
{
    private static ErrorInfo Info(string json) => HttpJson.Status(json).Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>();

    [Fact]
    public void The_console_ships_inside_the_node_in_at_most_300_KB_and_loads_nothing_from_elsewhere()
    {
        var assets = WebConsoleEndpoints.Assets;

        Assert.Contains("index.html", assets.Keys);
        Assert.Contains("console.js", assets.Keys);
        Assert.True(
            assets.Values.Sum(a => a.Content.Length) <= 300 * 1024,
            $"the console's assets total {assets.Values.Sum(a => a.Content.Length)} bytes");
        foreach (var (name, (content, _)) in assets)
        {
            var text = Encoding.UTF8.GetString(content);
            // No CDN, no other origin: every reference is relative to the node.
            Assert.DoesNotContain("http://", text);
            Assert.DoesNotContain("https://", text);
            Assert.DoesNotContain("src=\"//", text);
            Assert.DoesNotContain("localStorage.setItem", text);
            Assert.DoesNotContain("document.cookie", text);
            Assert.True(text.Length > 0, name);
        }
    }

    [Fact]
    public async Task An_outsider_gets_the_console_page_but_no_ledger_data_and_the_page_may_not_be_framed_or_run_foreign_script()
    {
        await using var node = await RunningNode.StartAsync(fixture, "bank A", tls: true);
        using var http = new HttpJson(node);

        var shell = await http.SendAsync(HttpMethod.Get, "/console/", apiKey: null);
        var script = await http.SendAsync(HttpMethod.Get, "/console/console.js", apiKey: null);
        var redirect = await http.SendAsync(HttpMethod.Get, "/console", apiKey: null);
        var missing = await http.SendAsync(HttpMethod.Get, "/console/appsettings.json", apiKey: null);
        var data = await http.SendAsync(HttpMethod.Get, "/v1/node", apiKey: null);

        Assert.Equal((int)HttpStatusCode.OK, shell.Status);
        Assert.StartsWith("text/html", shell.Response.Content.Headers.ContentType?.ToString());
        Assert.Contains("<title>OffshoreLedger console</title>", shell.Body);
        var csp = shell.Response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", shell.Response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal((int)HttpStatusCode.OK, script.Status);
        Assert.StartsWith("text/javascript", script.Response.Content.Headers.ContentType?.ToString());
        Assert.Equal((int)HttpStatusCode.OK, redirect.Status); // redirected once, to the page's own folder
        Assert.Equal("/console/", redirect.Response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal((int)HttpStatusCode.NotFound, missing.Status);
        Assert.Equal((int)HttpStatusCode.Unauthorized, data.Status);
        Assert.Equal(ErrorReason.ApiKeyMissingOrUnknown.Name(), Info(data.Body).Reason);
    }

    [Fact]
    public async Task An_oversized_json_body_is_refused_with_a_status_before_it_is_parsed()
    {
        await using var node = await RunningNode.StartAsync(fixture, "trader");
        using var http = new HttpJson(node);
        // A JSON body over the limit of its RPC, as gRPC would refuse the same message: 2 MiB for CheckCollateral
        // (it carries documents), 64 KiB for a transfer (ids only).
        var bigDocument = "{\"documents\": [{\"type\": \"TRADE_DOCUMENT_TYPE_BILL_OF_LADING\", \"json\": \""
            + new string('x', 3 * 1024 * 1024) + "\"}]}";
        var bigTransfer = "{\"requestId\": \"" + new string('r', 100 * 1024) + "\", \"titleId\": \"1\"}";

        var check = await http.SendAsync(HttpMethod.Post, "/v1/collateral:check", node.ReadKey, bigDocument);
        var transfer = await http.SendAsync(HttpMethod.Post, "/v1/titles:transfer", node.WriteKey, bigTransfer);
        var chunked = await SendChunkedAsync(node, "/v1/collateral:check", node.ReadKey, bigDocument);
        var writes = await new OutboxService.OutboxServiceClient(node.Channel)
            .ListWritesAsync(new ListWritesRequest { Filter = WriteFilter.Pending }, node.Admin);

        foreach (var (status, body) in new[] { (check.Status, check.Body), (transfer.Status, transfer.Body), chunked })
        {
            Assert.True(status == (int)HttpStatusCode.TooManyRequests, body); // RESOURCE_EXHAUSTED as HTTP
            Assert.Equal((int)Grpc.Core.StatusCode.ResourceExhausted, HttpJson.Status(body).Code);
            Assert.Equal(ErrorReason.MessageTooLarge.Name(), Info(body).Reason);
        }
        Assert.Contains("TitleService/TransferTitle", HttpJson.Status(transfer.Body).Message);
        Assert.Empty(writes.Writes);
    }

    /// <summary>A body of unannounced length (no Content-Length): the limit must hold while it is read.</summary>
    private static async Task<(int Status, string Body)> SendChunkedAsync(RunningNode node, string path, string apiKey, string json)
    {
        using var client = new HttpClient { BaseAddress = new Uri(node.Url) };
        using var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
            { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact, Content = content };
        request.Headers.Add(Auth.ApiKeys.Header, apiKey);
        Assert.Null(request.Content.Headers.ContentLength);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
