using System.Security.Cryptography;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Auth;

namespace OffshoreLedger.Node.Tests.Http;

/// <summary>
/// The table test over every RPC of the contract (data-driven from the descriptors, so a new RPC joins the table):
/// the same request sent over gRPC and over its HTTP/JSON route gives the same answer — the same response message,
/// or the same google.rpc.Status. Each RPC is tried with its empty request (a refusal for every write, which therefore
/// writes nothing) and, where the table below has one, with a meaningful request.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class HttpGrpcParityTableTests(ConsortiumFixture fixture)
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);
    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task Every_rpc_answers_the_same_over_http_and_grpc()
    {
        await using var carrier = await RunningNode.StartAsync(fixture, "carrier");
        using var http = new HttpJson(carrier);
        var key = RandomKey();
        var lot = RandomKey();
        await TestIssuance.AttestAsync(fixture, lot.ToByteArray()); // issue 14: the carrier issues on a lot its port attested
        var title = (await carrier.Titles.RegisterTitleAsync(new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = carrier.Address, LotKey = lot, Quantity = 10, Unit = "TNE", Keys = { key },
            CarrierCode = TestIssuance.CarrierCode,
        }, carrier.Write)).TitleId;
        var documentHash = RandomKey();
        var anchor = new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString(), DocumentHashes = { documentHash } };
        await carrier.Documents.AnchorDocumentsAsync(anchor, carrier.Write);
        await carrier.SyncedToHeadAsync(fixture);

        // Meaningful requests by RPC; writes are replays of a write already made (the same request_id), so they write nothing new
        // and both transports must hand back that write's receipt.
        var register = new RegisterTitleRequest { RequestId = Guid.NewGuid().ToString(), Holder = carrier.Address, LotKey = lot,
            Quantity = 5, Unit = "TNE", Keys = { RandomKey() }, CarrierCode = TestIssuance.CarrierCode };
        var second = (await carrier.Titles.RegisterTitleAsync(register, carrier.Write)).TitleId;
        var third = (await carrier.Titles.RegisterTitleAsync(new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = carrier.Address, LotKey = lot, Quantity = 1, Unit = "TNE",
            Keys = { RandomKey() }, CarrierCode = TestIssuance.CarrierCode,
        }, carrier.Write)).TitleId;
        var transfer = new TransferTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = second,
            NewHolder = fixture.Consortium.Member("trader").Address };
        await carrier.Titles.TransferTitleAsync(transfer, carrier.Write);
        var surrender = new SurrenderTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = third };
        await carrier.Titles.SurrenderTitleAsync(surrender, carrier.Write);
        await carrier.SyncedToHeadAsync(fixture);
        var meaningful = new Dictionary<string, IMessage>
        {
            ["offshore_ledger.v1.TitleService.RegisterTitle"] = register,
            ["offshore_ledger.v1.TitleService.CheckCollateral"] = new CheckCollateralRequest { TitleIds = { title }, Keys = { key } },
            ["offshore_ledger.v1.TitleService.GetTitleHistory"] = new GetTitleHistoryRequest { TitleId = title },
            ["offshore_ledger.v1.TitleService.GetKeyHistory"] = new GetKeyHistoryRequest { Key = key },
            ["offshore_ledger.v1.TitleService.TransferTitle"] = transfer,
            ["offshore_ledger.v1.TitleService.SurrenderTitle"] = surrender,
            ["offshore_ledger.v1.DocumentService.AnchorDocuments"] = anchor,
            ["offshore_ledger.v1.NodeService.GetMemberDirectory"] = new GetMemberDirectoryRequest(),
            ["offshore_ledger.v1.DocumentService.GetDocumentProof"] = new GetDocumentProofRequest { DocumentHash = documentHash },
            ["offshore_ledger.v1.DocumentService.VerifyDocument"] = new VerifyDocumentRequest { DocumentHash = documentHash },
            ["offshore_ledger.v1.AttestationService.ListLoadingAttestations"] = new ListLoadingAttestationsRequest { TitleIds = { title } },
            ["offshore_ledger.v1.OutboxService.ListWrites"] = new ListWritesRequest { Filter = WriteFilter.Pending },
            ["offshore_ledger.v1.OutboxService.RetryWrite"] = new RetryWriteRequest { RequestId = register.RequestId },
        };

        var compared = new List<string>();
        var answered = new List<string>();
        foreach (var (method, scope) in RpcAccessTable.Contract())
        {
            if (method.IsServerStreaming || method.IsClientStreaming) continue; // WatchTitleEvents: its own test below
            var apiKey = Scopes.Of(scope) switch
            {
                Scopes.Write => carrier.WriteKey, Scopes.Admin => ConsortiumFixture.AdminKey, _ => carrier.ReadKey,
            };
            var requests = new List<IMessage> { (IMessage)Activator.CreateInstance(method.InputType.ClrType)! };
            if (meaningful.TryGetValue(method.FullName, out var request)) requests.Add(request);
            foreach (var r in requests)
            {
                if (await SameAnswerAsync(carrier, http, method, r, apiKey)) answered.Add(method.Name);
                compared.Add($"{method.Name}({r})");
            }
        }

        Assert.True(
            compared.Count >= RpcAccessTable.Contract().Count(m => !m.Method.IsServerStreaming) + meaningful.Count,
            string.Join("\n", compared));
        // Writes that landed are compared on their receipts, not only on refusals.
        Assert.Superset(
            new HashSet<string> { "RegisterTitle", "TransferTitle", "SurrenderTitle", "AnchorDocuments", "GetMemberDirectory" },
            answered.ToHashSet());
    }

    [Fact]
    public async Task Watching_title_events_streams_the_same_first_event_over_http_and_grpc()
    {
        await using var carrier = await RunningNode.StartAsync(fixture, "carrier");
        using var http = new HttpJson(carrier);
        var lot = RandomKey();
        await TestIssuance.AttestAsync(fixture, lot.ToByteArray());
        await carrier.Titles.RegisterTitleAsync(new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = carrier.Address, LotKey = lot, Quantity = 1, Unit = "TNE",
            Keys = { RandomKey() },
            CarrierCode = TestIssuance.CarrierCode,
        }, carrier.Write);
        await carrier.SyncedToHeadAsync(fixture);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var call = carrier.Titles.WatchTitleEvents(
            new WatchTitleEventsRequest { FromBlock = fixture.Consortium.DeploymentBlock }, carrier.Read, cancellationToken: timeout.Token);
        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var overGrpc = call.ResponseStream.Current;

        using var client = new HttpClient(new HttpClientHandler()) { BaseAddress = new Uri(carrier.Url) };
        using var get = new HttpRequestMessage(HttpMethod.Get, $"/v1/titles/events:watch?fromBlock={fixture.Consortium.DeploymentBlock}")
        {
            Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        get.Headers.Add(ApiKeys.Header, carrier.ReadKey);
        using var response = await client.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var firstLine = await reader.ReadLineAsync(timeout.Token);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(overGrpc, HttpJson.Parse<WatchTitleEventsResponse>(firstLine!));
    }

    /// <summary>
    /// Sends <paramref name="request"/> both ways and compares the answers; true when both answered with a response, not a refusal.
    /// </summary>
    private static async Task<bool> SameAnswerAsync(
        RunningNode node, HttpJson http, MethodDescriptor method, IMessage request, string apiKey)
    {
        var grpcMethod = new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, Bytes, Bytes);
        IMessage? grpcAnswer = null;
        Google.Rpc.Status? grpcError = null;
        try
        {
            var bytes = await node.Channel.CreateCallInvoker()
                .AsyncUnaryCall(grpcMethod, null, new CallOptions(new Metadata { { ApiKeys.Header, apiKey } }), request.ToByteArray());
            grpcAnswer = method.OutputType.Parser.ParseFrom(bytes);
        }
        catch (RpcException ex)
        {
            grpcError = ex.GetRpcStatus();
            Assert.True(grpcError is not null, $"{method.FullName}: a refusal without google.rpc.Status details: {ex.Status}");
        }

        var (status, body, _) = await SendOverHttpAsync(http, method, request, apiKey);
        var what = $"{method.FullName} with {request}: HTTP {status} {body}";
        if (grpcError is not null)
        {
            Assert.True(status >= 400, what);
            Assert.Equal(grpcError, HttpJson.Status(body));
            return false;
        }
        Assert.True(status == 200, what);
        var httpAnswer = JsonParser.Default.Parse(body, method.OutputType);
        // The stamp's wall-clock reading is taken per call; everything the ledger says must be equal.
        ClearSyncTimes(grpcAnswer!);
        ClearSyncTimes(httpAnswer);
        Assert.True(grpcAnswer!.Equals(httpAnswer), $"{what}\ngRPC answered {grpcAnswer}");
        return true;
    }

    private static Task<(int Status, string Body, HttpResponseMessage Response)> SendOverHttpAsync(
        HttpJson http, MethodDescriptor method, IMessage request, string apiKey)
    {
        var rule = method.GetOptions().GetExtension(AnnotationsExtensions.Http);
        Assert.True(rule.PatternCase is HttpRule.PatternOneofCase.Post or HttpRule.PatternOneofCase.Get, method.FullName);
        // {field} in the path from the request (a POST's body carries the whole request besides); a GET's other set fields
        // as query parameters (proto3 JSON names).
        var path = rule.PatternCase == HttpRule.PatternOneofCase.Post ? rule.Post : rule.Get;
        var query = new List<string>();
        foreach (var field in method.InputType.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(request);
            var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            if (path.Contains("{" + field.Name + "}", StringComparison.Ordinal)) path = path.Replace(
                "{" + field.Name + "}", Uri.EscapeDataString(text), StringComparison.Ordinal);
            else if (text is not ("" or "0")) query.Add($"{field.JsonName}={Uri.EscapeDataString(text)}");
        }
        if (rule.PatternCase == HttpRule.PatternOneofCase.Post) return http.SendAsync(
            HttpMethod.Post, path, apiKey, JsonFormatter.Default.Format(request));
        return http.SendAsync(HttpMethod.Get, query.Count == 0 ? path : path + "?" + string.Join("&", query), apiKey);
    }

    private static void ClearSyncTimes(IMessage message)
    {
        if (message is BlockStamp stamp) stamp.SyncedAt = null;
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.Message))
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated) foreach (var item in (System.Collections.IEnumerable)value) ClearSyncTimes((IMessage)item);
            else if (value is IMessage inner) ClearSyncTimes(inner);
        }
    }
}
