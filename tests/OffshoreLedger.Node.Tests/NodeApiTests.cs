using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Node.Tests;

/// <summary>The node's gRPC API through the generated clients, over a real socket, against a real chain.</summary>
[Collection(NodeCollection.Name)]
public sealed class NodeApiTests(ConsortiumFixture fixture)
{
    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    private static string RequestId() => Guid.NewGuid().ToString();

    private RegisterTitleRequest Precomputed(string holder, params ByteString[] keys) => new()
    {
        RequestId = RequestId(), Holder = holder, LotKey = RandomKey(), Quantity = 100, Unit = "TNE", Keys = { keys },
    };

    private static PledgeRequest PledgeOf(params ulong[] titleIds) => new()
    {
        RequestId = RequestId(),
        FinancingReference = "LOAN-" + Guid.NewGuid(),
        ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(90)),
        TitleIds = { titleIds },
    };

    [Fact]
    public async Task Node_info_reports_its_member_roles_chain_and_sync()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        await bank.SyncedToHeadAsync(fixture);

        var info = await bank.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), bank.Read);

        Assert.Equal(bank.Address, info.Address, ignoreCase: true);
        Assert.True(info.ActiveMember);
        Assert.Equal([MemberRole.Bank], info.Roles);
        Assert.Equal(31337UL, info.ChainId);
        Assert.Equal(fixture.Consortium.ContractAddress, info.ContractAddress, ignoreCase: true);
        Assert.True(info.ChainReachable);
        Assert.True(info.Synced.BlockNumber >= fixture.Consortium.DeploymentBlock);
    }

    [Fact]
    public async Task Registered_title_is_live_in_the_index_and_at_the_chain_head()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var key = RandomKey();

        var registered = await TestIssuance.RegisterAsync(fixture, Precomputed(trader.Address, key), trader);

        Assert.Equal(WriteState.Confirmed, registered.Receipt.State);
        Assert.Equal(32, registered.Receipt.TransactionHash.Length);
        foreach (var consistency in new[] { Consistency.Index, Consistency.ChainHead })
        {
            var check = await trader.Titles.CheckCollateralAsync(
                new CheckCollateralRequest { Keys = { key }, Consistency = consistency }, trader.Read);
            var standing = Assert.Single(check.Keys);
            Assert.Equal(registered.TitleId, standing.TitleId);
            Assert.Equal(Api.V1.TitleStatus.Live, standing.TitleStatus);
            // Live and unpledged: exactly what a bank may finance.
            Assert.True(check.Clear);
            Assert.True(check.AsOf.BlockNumber >= registered.Receipt.BlockNumber);
        }
    }

    [Fact]
    public async Task An_unknown_key_is_clear()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");

        var check = await bank.Titles.CheckCollateralAsync(new CheckCollateralRequest { Keys = { RandomKey() } }, bank.Read);

        Assert.True(check.Clear);
        Assert.Equal(0UL, check.Keys.Single().TitleId);
        Assert.Null(check.Keys.Single().Lock);
    }

    [Fact]
    public async Task Title_registered_from_a_DCSA_bill_of_lading_is_found_by_a_bank_holding_the_same_document()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank B");
        var document = new TradeDocument
        {
            Type = Api.V1.TradeDocumentType.BillOfLading,
            Format = DocumentFormat.DcsaEbl3,
            // A fresh reference per run: the chain is shared by the collection and keys never come back.
            Json = TestBills.FreshCopperBill(),
        };
        var registered = await TestIssuance.RegisterAsync(
            fixture, new RegisterTitleRequest { RequestId = RequestId(), Holder = trader.Address, BillOfLading = document }, trader);
        await bank.SyncedToHeadAsync(fixture);

        var check = await bank.Titles.CheckCollateralAsync(new CheckCollateralRequest { Documents = { document } }, bank.Read);

        Assert.Contains(registered.Keys, k => k.Kind == Api.V1.CollateralKeyKind.BillOfLading);
        Assert.Contains(registered.Keys, k => k.Kind == Api.V1.CollateralKeyKind.Container);
        Assert.All(check.Keys, k => Assert.Equal(registered.TitleId, k.TitleId));
        Assert.Equal(registered.Keys.Count, check.Keys.Count);
        Assert.True(check.Clear);
    }

    [Fact]
    public async Task Second_banks_pledge_is_refused_with_the_pledgee_and_expiry()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        await using var bankB = await RunningNode.StartAsync(fixture, "bank B");
        var title = (await TestIssuance.RegisterAsync(fixture, Precomputed(trader.Address, RandomKey()), trader)).TitleId;
        await bankA.SyncedToHeadAsync(fixture);
        var first = await bankA.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bankA), bankA.Write);
        await bankB.SyncedToHeadAsync(fixture);

        var refusal = await Assert.ThrowsAsync<RpcException>(
            async () => await bankB.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bankB), bankB.Write));

        Assert.Equal(StatusCode.FailedPrecondition, refusal.StatusCode);
        var info = ErrorInfoOf(refusal);
        Assert.Equal(ErrorReason.TitleAlreadyPledged.Name(), info.Reason);
        Assert.Equal(first.PledgeId.ToString(), info.Metadata["pledgeId"]);
        Assert.Equal(bankA.Address, info.Metadata["pledgee"], ignoreCase: true);
        var check = await bankB.Titles.CheckCollateralAsync(new CheckCollateralRequest { TitleIds = { title } }, bankB.Read);
        Assert.Equal(first.PledgeId, check.Titles.Single().Lock.PledgeId);
        Assert.False(check.Clear);
    }

    [Fact]
    public async Task A_second_title_over_a_live_key_is_refused_with_its_reason()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var key = RandomKey();
        await TestIssuance.RegisterAsync(fixture, Precomputed(trader.Address, key), trader);

        var refusal = await Assert.ThrowsAsync<RpcException>(
            () => TestIssuance.RegisterAsync(fixture, Precomputed(trader.Address, key), trader));

        Assert.Equal(StatusCode.AlreadyExists, refusal.StatusCode);
        Assert.Equal(ErrorReason.KeyAlreadyLive.Name(), ErrorInfoOf(refusal).Reason);
    }

    [Fact]
    public async Task A_retried_request_id_writes_once()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var request = Precomputed(trader.Address, RandomKey());

        var first = await TestIssuance.RegisterAsync(fixture, request, trader);
        var retry = await TestIssuance.RegisterAsync(fixture, request, trader);

        Assert.Equal(first.TitleId, retry.TitleId);
        Assert.Equal(first.Receipt.TransactionHash, retry.Receipt.TransactionHash);
        var reused = await Assert.ThrowsAsync<RpcException>(() =>
            TestIssuance.RegisterAsync(fixture, Precomputed(trader.Address, RandomKey()).WithRequestId(request.RequestId), trader));
        Assert.Equal(ErrorReason.RequestIdReused.Name(), ErrorInfoOf(reused).Reason);
    }

    [Fact]
    public async Task Calls_without_a_valid_key_are_unauthenticated_and_a_read_key_cannot_write()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");

        var none = await Assert.ThrowsAsync<RpcException>(() => bank.Node.GetNodeInfoAsync(new GetNodeInfoRequest()).ResponseAsync);
        var wrong = await Assert.ThrowsAsync<RpcException>(() =>
            bank.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), new Metadata { { "x-api-key", "not-a-key" } }).ResponseAsync);
        var readOnly = await Assert.ThrowsAsync<RpcException>(() => bank.Titles.PledgeAsync(PledgeOf(1), bank.Read).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, readOnly.StatusCode);
        Assert.Equal(ErrorReason.ScopeMissing.Name(), ErrorInfoOf(readOnly).Reason);
    }

    [Fact]
    public async Task A_node_whose_member_lacks_the_role_gets_the_contracts_reason()
    {
        await using var auditor = await RunningNode.StartAsync(fixture, "auditor");
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var title = (await TestIssuance.RegisterAsync(fixture, Precomputed(trader.Address, RandomKey()), trader)).TitleId;

        var refusal = await Assert.ThrowsAsync<RpcException>(
            async () => await auditor.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, auditor), auditor.Write));

        Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
        Assert.Equal(ErrorReason.MissingRole.Name(), ErrorInfoOf(refusal).Reason);
    }

    public static TheoryData<string, Func<RegisterTitleRequest, RegisterTitleRequest>, string> BadRegistrations => new()
    {
        { "no request id", r => r.WithRequestId(""), "request_id" },
        { "holder not an address", r => { r.Holder = "0x1234"; return r; }, "holder" },
        { "short lot key", r => { r.LotKey = ByteString.CopyFrom(new byte[31]); return r; }, "lot_key" },
        { "zero quantity", r => { r.Quantity = 0; return r; }, "quantity" },
        { "lower-case unit", r => { r.Unit = "tne"; return r; }, "unit" },
        { "key of 33 bytes", r => { r.Keys.Add(ByteString.CopyFrom(new byte[33])); return r; }, "keys[1]" },
        { "all-zero key", r => { r.Keys.Add(ByteString.CopyFrom(new byte[32])); return r; }, "keys[1]" },
        { "no keys", r => { r.Keys.Clear(); return r; }, "keys" },
        { "unreadable document",
            r => { r.BillOfLading = new TradeDocument { Type = Api.V1.TradeDocumentType.BillOfLading, Format = DocumentFormat.DcsaEbl3,
            Json = "{ not json" }; return r; }, "bill_of_lading" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Malformed_registration_is_invalid_argument_naming_the_field_and_writes_nothing(
        string _, Func<RegisterTitleRequest, RegisterTitleRequest> spoil, string field)
    {
        // Issue 14: the carrier's node is the one that issues; its refusals of malformed requests are the ones that matter.
        var carrier = await TestIssuance.CarrierAsync(fixture);
        var before = await TitleCountAsync();
        var request = Precomputed(fixture.Consortium.Member("trader").Address, RandomKey());
        request.CarrierCode = TestIssuance.CarrierCode;
        await TestIssuance.AttestAsync(fixture, request.LotKey.ToByteArray());

        var refusal = await Assert.ThrowsAsync<RpcException>(
            () => carrier.Titles.RegisterTitleAsync(spoil(request), carrier.Write).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        var violations = refusal.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations;
        Assert.Contains(violations, v => v.Field.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(before, await TitleCountAsync());
    }

    [Fact]
    public async Task Restarted_node_answers_from_its_store_at_once()
    {
        var trader = await RunningNode.StartAsync(fixture, "trader");
        var key = RandomKey();
        var title = (await TestIssuance.RegisterAsync(fixture, Precomputed(trader.Address, key), trader)).TitleId;
        var dataDirectory = trader.DataDirectory;
        await trader.DisposeAsync();

        await using var restarted = await RunningNode.StartAsync(fixture, "trader", dataDirectory);
        await restarted.SyncedToHeadAsync(fixture);
        var check = await restarted.Titles.CheckCollateralAsync(new CheckCollateralRequest { Keys = { key } }, restarted.Read);

        Assert.Equal(title, check.Keys.Single().TitleId);
    }

    [Fact]
    public async Task Title_history_lists_registration_pledge_and_release_in_order()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var title = (await TestIssuance.RegisterAsync(fixture, Precomputed(trader.Address, RandomKey()), trader)).TitleId;
        await bank.SyncedToHeadAsync(fixture);
        var pledge = await bank.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bank), bank.Write);
        await bank.Titles.ReleaseAsync(
            new ReleaseRequest { RequestId = RequestId(), PledgeId = pledge.PledgeId, TitleIds = { title } }, bank.Write);

        var history = await bank.Titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = title }, bank.Read);

        Assert.Equal(
            [TitleEvent.KindOneofCase.Registered, TitleEvent.KindOneofCase.Pledged, TitleEvent.KindOneofCase.Released],
            history.Events.Select(e => e.KindCase));
    }

    private async Task<ulong> TitleCountAsync() =>
        (await new Contracts.LedgerContract(fixture.Chain.Web3For(0), fixture.Consortium.ContractAddress)
            .QueryAsync<CountsFunction, CountsOutput>(new())).Titles;

    private static Google.Rpc.ErrorInfo ErrorInfoOf(RpcException exception) => exception.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>();
}

internal static class RequestExtensions
{
    public static RegisterTitleRequest WithRequestId(this RegisterTitleRequest request, string requestId)
    {
        request.RequestId = requestId;
        return request;
    }
}
