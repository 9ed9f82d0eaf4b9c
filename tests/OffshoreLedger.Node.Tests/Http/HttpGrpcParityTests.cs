using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Node.Tests.Http;

/// <summary>HTTP/JSON and gRPC give the same answers for the same requests: results, errors and idempotent replays.</summary>
[Collection(NodeCollection.Name)]
public sealed class HttpGrpcParityTests(ConsortiumFixture fixture)
{
    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    /// <summary>The same status code, message and details (google.rpc.Status) either way, with a reason of the ErrorReason enum.</summary>
    private static async Task SameErrorAsync(Func<Task> grpc, Task<(int Status, string Body, HttpResponseMessage Response)> http)
    {
        var expected = (await Assert.ThrowsAsync<RpcException>(grpc)).GetRpcStatus();
        var actual = await http;
        Assert.NotNull(expected);
        Assert.Equal(expected, HttpJson.Status(actual.Body));
        // A client branching on the reason meets an ErrorReason value, the same one, over either transport.
        var reason = HttpJson.Status(actual.Body).Details.Single(d => d.Is(Google.Rpc.ErrorInfo.Descriptor)).Unpack<Google.Rpc.ErrorInfo>()
            .Reason;
        Assert.NotEqual(ErrorReason.Unspecified, ErrorReasons.Parse(reason));
    }

    [Fact]
    public async Task A_write_sent_over_grpc_and_replayed_over_http_with_its_request_id_answers_the_same_and_writes_once()
    {
        // Issue 14: the carrier's node issues the title (to the trader), over both transports.
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var carrier = await TestIssuance.CarrierAsync(fixture);
        using var http = new HttpJson(carrier);
        var register = new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = RandomKey(), Quantity = 10, Unit = "TNE",
            Keys = { RandomKey() },
        };

        var overGrpc = await TestIssuance.RegisterAsync(fixture, register, trader);
        var replay = await http.PostAsync("/v1/titles", carrier.WriteKey, register);

        Assert.Equal(200, replay.Status);
        Assert.Equal(overGrpc, HttpJson.Parse<RegisterTitleResponse>(replay.Body));
    }

    [Fact]
    public async Task Reads_and_refusals_answer_the_same_over_http_and_grpc()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        using var http = new HttpJson(trader);
        var key = RandomKey();
        var title = (await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = RandomKey(), Quantity = 10, Unit = "TNE",
            Keys = { key },
        }, trader)).TitleId;
        await trader.SyncedToHeadAsync(fixture);

        var check = new CheckCollateralRequest { TitleIds = { title }, Keys = { key } };
        var grpcCheck = await trader.Titles.CheckCollateralAsync(check, trader.Read);
        var httpCheck = HttpJson.Parse<CheckCollateralResponse>((await http.PostAsync("/v1/collateral:check", trader.ReadKey, check)).Body);
        var grpcHistory = await trader.Titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = title }, trader.Read);
        var httpHistory = HttpJson.Parse<GetTitleHistoryResponse>(
            (await http.SendAsync(HttpMethod.Get, $"/v1/titles/{title}/history", trader.ReadKey)).Body);

        // The stamp's wall-clock reading is taken per call; everything the ledger says must be equal.
        grpcCheck.AsOf.SyncedAt = httpCheck.AsOf.SyncedAt = null;
        grpcHistory.AsOf.SyncedAt = httpHistory.AsOf.SyncedAt = null;
        Assert.Equal(grpcCheck, httpCheck);
        Assert.Equal(grpcHistory, httpHistory);
        Assert.NotEmpty(httpHistory.Events);
        await SameErrorAsync(
            () => trader.Titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = ulong.MaxValue - 1 }, trader.Read)
                .ResponseAsync,
            http.SendAsync(HttpMethod.Get, $"/v1/titles/{ulong.MaxValue - 1}/history", trader.ReadKey));
        var badRegister = new RegisterTitleRequest { RequestId = Guid.NewGuid().ToString(), Holder = "nobody" };
        await SameErrorAsync(
            () => trader.Titles.RegisterTitleAsync(badRegister, trader.Write).ResponseAsync,
            http.PostAsync("/v1/titles", trader.WriteKey, badRegister));
    }
}
