using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Canonical;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using CollateralKeyKind = OffshoreLedger.Client.Keys.CollateralKeyKind;

namespace OffshoreLedger.Node.Tests;

/// <summary>Transfer, surrender, release, the event stream and health, through the real server.</summary>
[Collection(NodeCollection.Name)]
public sealed class TitleLifecycleApiTests(ConsortiumFixture fixture)
{
    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    private async Task<ulong> RegisterAsync(RunningNode trader, ByteString key) =>
        (await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = RandomKey(), Quantity = 10, Unit = "TNE",
            Keys = { key },
        }, trader)).TitleId;

    private static PledgeRequest PledgeOf(ulong titleId) => new()
    {
        RequestId = Guid.NewGuid().ToString(), FinancingReference = "LOAN-" + Guid.NewGuid(),
        ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)), TitleIds = { titleId },
    };

    private static string Reason(RpcException exception) => exception.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason;

    [Fact]
    public async Task Holder_transfers_then_the_old_holder_is_refused_and_the_new_one_surrenders()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var carrier = await RunningNode.StartAsync(fixture, "carrier");
        var key = RandomKey();
        var title = await RegisterAsync(trader, key);

        await trader.Titles.TransferTitleAsync(
            new TransferTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = title, NewHolder = carrier.Address }, trader.Write);
        var again = await Assert.ThrowsAsync<RpcException>(() => trader.Titles.TransferTitleAsync(
            new TransferTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = title, NewHolder = trader.Address }, trader.Write)
                .ResponseAsync);
        await carrier.SyncedToHeadAsync(fixture);
        await carrier.Titles.SurrenderTitleAsync(
            new SurrenderTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = title }, carrier.Write);

        Assert.Equal(StatusCode.PermissionDenied, again.StatusCode);
        Assert.Equal(ErrorReason.NotHolder.Name(), Reason(again));
        var check = await carrier.Titles.CheckCollateralAsync(new CheckCollateralRequest { Keys = { key } }, carrier.Read);
        Assert.Equal(Api.V1.TitleStatus.Surrendered, check.Keys.Single().TitleStatus);
        Assert.False(check.Clear);
        var reuse = await Assert.ThrowsAsync<RpcException>(() => RegisterAsync(trader, key));
        Assert.Equal(ErrorReason.KeyBurned.Name(), Reason(reuse));
    }

    [Fact]
    public async Task A_pledged_title_cannot_be_transferred_or_surrendered_by_its_holder()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var title = await RegisterAsync(trader, RandomKey());
        await bank.SyncedToHeadAsync(fixture);
        await bank.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bank), bank.Write);
        await trader.SyncedToHeadAsync(fixture);

        var transfer = await Assert.ThrowsAsync<RpcException>(() => trader.Titles.TransferTitleAsync(
            new TransferTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = title, NewHolder = bank.Address }, trader.Write)
                .ResponseAsync);
        var surrender = await Assert.ThrowsAsync<RpcException>(() => trader.Titles.SurrenderTitleAsync(
            new SurrenderTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = title }, trader.Write).ResponseAsync);

        Assert.Equal(ErrorReason.TitleAlreadyPledged.Name(), Reason(transfer));
        Assert.Equal(ErrorReason.TitleAlreadyPledged.Name(), Reason(surrender));
    }

    [Fact]
    public async Task Release_by_another_bank_is_refused_and_by_the_pledgee_frees_the_title()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        await using var bankB = await RunningNode.StartAsync(fixture, "bank B");
        var title = await RegisterAsync(trader, RandomKey());
        await bankA.SyncedToHeadAsync(fixture);
        var pledge = await bankA.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bankA), bankA.Write);
        await bankB.SyncedToHeadAsync(fixture);

        var stranger = await Assert.ThrowsAsync<RpcException>(() => bankB.Titles.ReleaseAsync(
            new ReleaseRequest { RequestId = Guid.NewGuid().ToString(), PledgeId = pledge.PledgeId, TitleIds = { title } }, bankB.Write)
                .ResponseAsync);
        await bankA.Titles.ReleaseAsync(
            new ReleaseRequest { RequestId = Guid.NewGuid().ToString(), PledgeId = pledge.PledgeId, TitleIds = { title } }, bankA.Write);
        await bankB.SyncedToHeadAsync(fixture);
        var second = await bankB.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bankB), bankB.Write);

        Assert.Equal(ErrorReason.NotPledgee.Name(), Reason(stranger));
        Assert.NotEqual(pledge.PledgeId, second.PledgeId);
    }

    [Fact]
    public async Task Registering_a_title_answers_with_its_lot_key()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var lot = RandomKey();

        var registered = await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = lot, Quantity = 10, Unit = "TNE",
            Keys = { RandomKey() },
        }, trader);

        Assert.Equal(lot, Assert.Single(registered.LotKeys));
    }

    [Fact]
    public async Task A_pledged_invoice_is_released_by_the_same_document_as_it_was_pledged_with()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        using var sample = SampleTrade.Fresh();
        var invoice = DocumentJson.Deserialize<CommercialInvoice>(File.ReadAllText(sample.SalesInvoice));
        var document = TradeDocuments.ToMessage(invoice);
        var deriver = new CollateralKeyDeriver(ConsortiumSecret.FromHex(fixture.ConsortiumSecret));
        var invoiceKeys = deriver.KeysFor(invoice).Where(k => k.Kind != CollateralKeyKind.ShipmentLot)
            .Select(k => TradeDocuments.KeyBytes(k).ToByteArray()).ToList();
        var pledge = await bankA.Titles.PledgeAsync(await new PledgeRequest
        {
            RequestId = Guid.NewGuid().ToString(), FinancingReference = "LOAN-" + Guid.NewGuid(),
            ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)), Documents = { document },
        }.ConsentedAsync(fixture, bankA, invoiceKeys, trader.Address), bankA.Write);
        var pledged = await bankA.Titles.CheckCollateralAsync(new CheckCollateralRequest { Documents = { document } }, bankA.Read);

        await bankA.Titles.ReleaseAsync(
            new ReleaseRequest { RequestId = Guid.NewGuid().ToString(), PledgeId = pledge.PledgeId, Documents = { document } },
            bankA.Write);
        var released = await bankA.Titles.CheckCollateralAsync(new CheckCollateralRequest { Documents = { document } }, bankA.Read);

        Assert.False(pledged.Clear);
        Assert.True(released.Clear);
    }

    [Fact]
    public async Task Every_address_in_the_main_read_answers_is_in_eip55_case()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        var title = await RegisterAsync(trader, RandomKey());
        await bankA.SyncedToHeadAsync(fixture);
        await bankA.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bankA), bankA.Write);

        var standing = Assert.Single(
            (await bankA.Titles.CheckCollateralAsync(new CheckCollateralRequest { TitleIds = { title } }, bankA.Read)).Titles);
        var history = (await bankA.Titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = title }, bankA.Read)).Events;
        var directory = (await bankA.Node.GetMemberDirectoryAsync(new GetMemberDirectoryRequest(), bankA.Read)).Members;
        var info = await bankA.Node.GetNodeInfoAsync(new GetNodeInfoRequest(), bankA.Read);

        string[] addresses =
        [
            standing.Holder, standing.Lock.Pledgee, info.Address,
            .. history.Where(e => e.Registered is not null).SelectMany(e => new[] { e.Registered.Holder, e.Registered.Registrar }),
            .. history.Where(e => e.Pledged is not null).SelectMany(e => new[] { e.Pledged.Pledgee, e.Pledged.Borrower }),
            .. directory.Select(m => m.Address),
        ];
        Assert.Equal((Eip55.Of(trader.Address), Eip55.Of(bankA.Address)), (standing.Holder, standing.Lock.Pledgee));
        Assert.Contains(history, e => e.Pledged is not null);
        Assert.All(addresses, a => Assert.Equal(Eip55.Of(a), a));
        Assert.Contains(addresses, a => a != a.ToLowerInvariant());
    }

    [Fact]
    public async Task Unknown_title_is_not_found()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");

        var surrender = await Assert.ThrowsAsync<RpcException>(() => trader.Titles.SurrenderTitleAsync(
            new SurrenderTitleRequest { RequestId = Guid.NewGuid().ToString(), TitleId = ulong.MaxValue }, trader.Write).ResponseAsync);
        var history = await Assert.ThrowsAsync<RpcException>(() => trader.Titles.GetTitleHistoryAsync(
            new GetTitleHistoryRequest { TitleId = ulong.MaxValue }, trader.Read).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, surrender.StatusCode);
        Assert.Equal(ErrorReason.TitleNotFound.Name(), Reason(surrender));
        Assert.Equal(StatusCode.NotFound, history.StatusCode);
    }

    [Fact]
    public async Task Watchers_receive_title_events_as_they_are_indexed_including_blocked_attempts()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        await using var bankB = await RunningNode.StartAsync(fixture, "bank B");
        await bankB.SyncedToHeadAsync(fixture);
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = bankB.Titles.WatchTitleEvents(new WatchTitleEventsRequest(), bankB.Read, cancellationToken: watching.Token);

        var title = await RegisterAsync(trader, RandomKey());
        await bankA.SyncedToHeadAsync(fixture);
        await bankA.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bankA), bankA.Write);
        await bankB.SyncedToHeadAsync(fixture);
        await Assert.ThrowsAsync<RpcException>(
            async () => await bankB.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bankB), bankB.Write));

        var seen = new List<TitleEvent.KindOneofCase>();
        while (seen.Count < 3 && await stream.ResponseStream.MoveNext(watching.Token))
        {
            var e = stream.ResponseStream.Current.Event;
            if (e.Registered?.TitleId == title || e.Pledged?.TitleIds.Contains(title) == true
                || e.PledgeBlocked?.TitleIds.Contains(title) == true) seen.Add(e.KindCase);
        }
        Assert.Equal([TitleEvent.KindOneofCase.Registered, TitleEvent.KindOneofCase.Pledged, TitleEvent.KindOneofCase.PledgeBlocked], seen);
    }

    [Fact]
    public async Task Health_service_reports_serving_without_an_api_key()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        await bank.SyncedToHeadAsync(fixture);
        using var channel = GrpcChannel.ForAddress(bank.Url);

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Chain_head_check_sees_a_pledge_the_same_as_the_index()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");
        var key = RandomKey();
        var title = await RegisterAsync(trader, key);
        await bank.SyncedToHeadAsync(fixture);
        var pledge = await bank.Titles.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bank), bank.Write);

        var fromIndex = await bank.Titles.CheckCollateralAsync(
            new CheckCollateralRequest { Keys = { key }, TitleIds = { title } }, bank.Read);
        var fromChain = await bank.Titles.CheckCollateralAsync(
            new CheckCollateralRequest { Keys = { key }, TitleIds = { title }, Consistency = Consistency.ChainHead }, bank.Read);

        Assert.Equal(pledge.PledgeId, fromIndex.Keys.Single().Lock.PledgeId);
        Assert.Equal(fromIndex.Keys, fromChain.Keys);
        Assert.Equal(fromIndex.Titles, fromChain.Titles);
    }
}
