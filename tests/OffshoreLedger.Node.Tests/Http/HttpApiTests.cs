using System.Net;
using Google.Api;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Google.Rpc;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using OffshoreLedger.Api.V1;
using ErrorReason = OffshoreLedger.Api.V1.ErrorReason;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Http;
using Swashbuckle.AspNetCore.Swagger;

namespace OffshoreLedger.Node.Tests.Http;

/// <summary>HTTP/JSON beside gRPC (issue 19, item 1): the routes, who may call them, and the OpenAPI document.</summary>
[Collection(NodeCollection.Name)]
public sealed class HttpApiTests(ConsortiumFixture fixture)
{
    /// <summary>Where the OpenAPI document is checked in; OFFSHORELEDGER_UPDATE_OPENAPI=1 rewrites it from the node's.</summary>
    private static readonly string CheckedInOpenApi = Path.Combine(RepositoryPaths.Root, "proto", "openapi", "offshore_ledger.v1.json");

    private static ErrorInfo Info(string json) => HttpJson.Status(json).Details.Single(d => d.Is(ErrorInfo.Descriptor)).Unpack<ErrorInfo>();

    [Fact]
    public void Every_rpc_of_the_contract_declares_an_http_route()
    {
        // Data-driven: a service added to the contract without a google.api.http option fails here by name.
        var missing = RpcAccessTable.Contract()
            .Where(c =>
                c.Method.GetOptions()?.GetExtension(AnnotationsExtensions.Http) is not { PatternCase: not HttpRule.PatternOneofCase.None })
            .Select(c => c.Method.FullName)
            .ToList();

        Assert.True(RpcAccessTable.Contract().Count() >= 18, "the contract should list every RPC");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Every_http_route_the_node_maps_requires_the_scope_its_rpc_declares()
    {
        await using var node = await RunningNode.StartAsync(fixture, "bank A");
        var endpoints = node.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var table = RpcAccessTable.For(endpoints);
        var declared = RpcAccessTable.Contract().ToDictionary(c => c.Method.FullName, c => Scopes.Of(c.Scope));

        var routes = endpoints.Where(e => e.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null).ToList();

        Assert.Equal(declared.Count, routes.Count);
        foreach (var route in routes)
        {
            var rpc = route.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>()!.MethodDescriptor.FullName;
            Assert.Equal(Access.Scope(declared[rpc]), table.Required(route));
        }
    }

    [Fact]
    public async Task An_outsider_and_a_read_key_are_refused_a_write_over_http_with_a_json_status()
    {
        await using var node = await RunningNode.StartAsync(fixture, "trader");
        using var http = new HttpJson(node);
        var register = new RegisterTitleRequest { RequestId = Guid.NewGuid().ToString(), Holder = node.Address, Quantity = 1,
            Unit = "TNE" };

        var outsider = await http.PostAsync("/v1/titles", apiKey: null, register);
        var wrongKey = await http.PostAsync("/v1/titles", apiKey: "guessed-key", register);
        var reader = await http.PostAsync("/v1/titles", node.ReadKey, register);
        // The router matches paths without regard to case or a trailing slash; so must authorisation.
        var otherCase = await http.PostAsync("/V1/Titles/", node.ReadKey, register);

        Assert.Equal((int)HttpStatusCode.Unauthorized, outsider.Status);
        Assert.Equal(ErrorReason.ApiKeyMissingOrUnknown.Name(), Info(outsider.Body).Reason);
        Assert.Equal((int)Grpc.Core.StatusCode.Unauthenticated, HttpJson.Status(outsider.Body).Code);
        Assert.Equal((int)HttpStatusCode.Unauthorized, wrongKey.Status);
        Assert.Equal((int)HttpStatusCode.Forbidden, reader.Status);
        Assert.Equal(ErrorReason.ScopeMissing.Name(), Info(reader.Body).Reason);
        Assert.Equal((int)HttpStatusCode.Forbidden, otherCase.Status);
        Assert.Equal(ErrorReason.ScopeMissing.Name(), Info(otherCase.Body).Reason);
    }

    [Fact]
    public async Task Bad_json_is_refused_with_a_status_and_writes_nothing()
    {
        await using var node = await RunningNode.StartAsync(fixture, "trader");
        using var http = new HttpJson(node);

        var notJson = await http.SendAsync(HttpMethod.Post, "/v1/titles", node.WriteKey, "{\"requestId\": ");
        var wrongType = await http.SendAsync(HttpMethod.Post, "/v1/titles", node.WriteKey, "{\"quantity\": \"many\"}");
        var invalid = await http.SendAsync(HttpMethod.Post, "/v1/titles", node.WriteKey, "{\"requestId\": \"r1\", \"holder\": \"nobody\"}");
        var writes = await new OutboxService.OutboxServiceClient(node.Channel)
            .ListWritesAsync(new ListWritesRequest { Filter = WriteFilter.Pending }, node.Admin);

        Assert.Equal((int)HttpStatusCode.BadRequest, notJson.Status);
        Assert.Equal((int)HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Equal((int)HttpStatusCode.BadRequest, invalid.Status);
        var violations = HttpJson.Status(invalid.Body).Details.Single(d => d.Is(BadRequest.Descriptor)).Unpack<BadRequest>()
            .FieldViolations;
        Assert.Contains(violations, v => v.Field == "holder");
        Assert.Empty(writes.Writes);
    }

    [Fact]
    public async Task The_openapi_document_the_node_serves_is_the_one_checked_in()
    {
        await using var node = await RunningNode.StartAsync(fixture, "bank A");
        using var http = new HttpJson(node);

        var outsider = await http.SendAsync(HttpMethod.Get, HttpApi.OpenApiPath, apiKey: null);
        var served = await http.SendAsync(HttpMethod.Get, HttpApi.OpenApiPath, node.ReadKey);
        if (Environment.GetEnvironmentVariable("OFFSHORELEDGER_UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CheckedInOpenApi)!);
            await File.WriteAllTextAsync(CheckedInOpenApi, served.Body);
        }

        Assert.Equal((int)HttpStatusCode.Unauthorized, outsider.Status);
        Assert.Equal((int)HttpStatusCode.OK, served.Status);
        Assert.Equal(HttpApi.OpenApiDocument(node.Services.GetRequiredService<ISwaggerProvider>()), served.Body);
        Assert.True(
            File.Exists(CheckedInOpenApi), $"{CheckedInOpenApi} is missing: run this test once with OFFSHORELEDGER_UPDATE_OPENAPI=1.");
        Assert.True(served.Body == await File.ReadAllTextAsync(CheckedInOpenApi),
            $"The node's OpenAPI document differs from {CheckedInOpenApi}: the proto changed. Run this test with " +
                "OFFSHORELEDGER_UPDATE_OPENAPI=1 and commit the file.");
        foreach (var path in new[] { "/v1/titles", "/v1/collateral:check", "/v1/titles/{titleId}/history", "/v1/trades:verify",
            "/v1/documents:verify" })
        {
            Assert.Contains($"\"{path}\"", served.Body, StringComparison.Ordinal);
        }
    }
}
