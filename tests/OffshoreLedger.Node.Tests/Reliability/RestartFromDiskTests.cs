using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// The read model lives on disk (issue 16): a node restarted on a populated store answers checks, title and key
/// histories and its whole ledger as before, with its chain unreachable so that no sync step can have run; and a key's
/// history shows what a title's cannot, a blocked attempt on an invoice financed on its own.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class RestartFromDiskTests(ConsortiumFixture fixture)
{
    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));


    [Fact]
    public async Task A_node_restarted_on_its_store_with_no_chain_answers_as_before_from_disk()
    {
        var data = fixture.NewTemporaryDirectory("offshore-restart-from-disk-");
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        await using var bankA = await RunningNode.StartAsync(fixture, "bank A");
        var (billKey, invoice) = (RandomKey(), RandomKey());
        var title = await TestIssuance.RegisterAsync(fixture, new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address, LotKey = RandomKey(), Quantity = 10, Unit = "TNE",
            Keys = { billKey },
        }, trader);
        await bankA.SyncedToHeadAsync(fixture);
        await bankA.Titles.PledgeAsync(await TestPledges.Of([title.TitleId]).ConsentedAsync(fixture, bankA), bankA.Write);
        // The invoice financed on its own by bank A, then offered to bank B: refused on chain, recorded as blocked.
        await bankA.Titles.PledgeAsync(await TestPledges.Of([], invoice).ConsentedAsync(fixture, bankA), bankA.Write);

        CheckCollateralResponse checkBefore;
        GetTitleHistoryResponse titleBefore;
        GetKeyHistoryResponse invoiceBefore;
        IReadOnlyList<string> ledgerBefore;
        await using (var bankB = await RunningNode.StartAsync(fixture, "bank B", data))
        {
            await bankB.SyncedToHeadAsync(fixture);
            var blocked = await Assert.ThrowsAsync<RpcException>(async () =>
                await bankB.Titles.PledgeAsync(await TestPledges.Of([], invoice).ConsentedAsync(fixture, bankB), bankB.Write));
            Assert.Equal(StatusCode.FailedPrecondition, blocked.StatusCode);
            await ChainTruth.SettledAsync(fixture, bankB, TimeSpan.FromMinutes(1));
            checkBefore = await bankB.Titles.CheckCollateralAsync(
                new CheckCollateralRequest { TitleIds = { title.TitleId }, Keys = { billKey, invoice } }, bankB.Read);
            titleBefore = await bankB.Titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = title.TitleId }, bankB.Read);
            invoiceBefore = await bankB.Titles.GetKeyHistoryAsync(new GetKeyHistoryRequest { Key = invoice }, bankB.Read);
            ledgerBefore = ChainTruth.IndexOf(bankB);
        }

        using var noChain = new ClosedPort();
        await using var restarted = await RunningNode.StartAsync(fixture, "bank B", data, new Dictionary<string, string?>
        {
            ["Chain:RpcUrl"] = noChain.Url,
            ["Chain:ChainId"] = fixture.Chain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var check = await restarted.Titles.CheckCollateralAsync(
            new CheckCollateralRequest { TitleIds = { title.TitleId }, Keys = { billKey, invoice } }, restarted.Read);
        var titleHistory = await restarted.Titles.GetTitleHistoryAsync(
            new GetTitleHistoryRequest { TitleId = title.TitleId }, restarted.Read);
        var invoiceHistory = await restarted.Titles.GetKeyHistoryAsync(new GetKeyHistoryRequest { Key = invoice }, restarted.Read);
        var billHistory = await restarted.Titles.GetKeyHistoryAsync(new GetKeyHistoryRequest { Key = billKey }, restarted.Read);

        // Served from disk, as of the block it had reached, and marked stale: no step of its sync could run.
        Assert.True(check.AsOf.Stale);
        Assert.Equal(checkBefore.AsOf.BlockNumber, check.AsOf.BlockNumber);
        Assert.Equal(checkBefore.Titles, check.Titles);
        Assert.Equal(checkBefore.Keys, check.Keys);
        Assert.NotEqual(0UL, check.Keys.Single(k => k.Key.Value == invoice).Lock.PledgeId);
        Assert.Equal(titleBefore.Events, titleHistory.Events);
        Assert.Equal(
            [TitleEvent.KindOneofCase.Registered, TitleEvent.KindOneofCase.Pledged],
            titleHistory.Events.Select(e => e.KindCase));
        Assert.Equal(invoiceBefore.Events, invoiceHistory.Events);
        Assert.Equal(
            [TitleEvent.KindOneofCase.Pledged, TitleEvent.KindOneofCase.PledgeBlocked], invoiceHistory.Events.Select(e => e.KindCase));
        Assert.Equal(ChecksumAddress(fixture, "bank B"), invoiceHistory.Events[1].PledgeBlocked.Bank);
        Assert.Equal([TitleEvent.KindOneofCase.Registered, TitleEvent.KindOneofCase.Pledged], billHistory.Events.Select(e => e.KindCase));
        Assert.Equal(ledgerBefore, ChainTruth.IndexOf(restarted));
    }

    [Fact]
    public async Task A_key_never_named_has_no_history_and_a_malformed_key_is_refused_naming_the_field()
    {
        await using var bank = await RunningNode.StartAsync(fixture, "bank A");

        var none = await bank.Titles.GetKeyHistoryAsync(new GetKeyHistoryRequest { Key = RandomKey() }, bank.Read);
        var malformed = await Assert.ThrowsAsync<RpcException>(() =>
            bank.Titles.GetKeyHistoryAsync(new GetKeyHistoryRequest { Key = ByteString.CopyFrom(new byte[31]) }, bank.Read).ResponseAsync);

        Assert.Empty(none.Events);
        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Contains(malformed.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>().FieldViolations, v => v.Field == "key");
    }

    private static string ChecksumAddress(ConsortiumFixture fixture, string member) =>
        new Nethereum.Util.AddressUtil().ConvertToChecksumAddress(fixture.Consortium.Member(member).Address);
}
