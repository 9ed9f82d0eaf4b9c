using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Client.Dcsa;
using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Node.Tests;

/// <summary>The client SDK against real nodes: typed calls and typed exceptions, never raw RpcException.</summary>
[Collection(NodeCollection.Name)]
public sealed class ClientSdkTests(ConsortiumFixture fixture)
{
    private static LedgerClient ClientOf(RunningNode node, string? apiKey) =>
        new(new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = apiKey, Deadline = TimeSpan.FromSeconds(30) });

    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    private static RegisterTitleRequest Title(string holder, ByteString key) => new()
    {
        Holder = holder, LotKey = RandomKey(), Quantity = 50, Unit = "TNE", Keys = { key },
    };

    /// <summary>Issue 14: the title is issued through the carrier's node (SDK client), on a lot the port attested.</summary>
    private async Task<RegisterTitleResponse> IssueAsync(RegisterTitleRequest request)
    {
        if (request.BillOfLading is null)
        {
            await TestIssuance.AttestAsync(fixture, request.LotKey.ToByteArray(), request.Unit);
            request.CarrierCode = TestIssuance.CarrierCode;
        }
        var node = await TestIssuance.CarrierAsync(fixture);
        using var carrier = ClientOf(node, node.WriteKey);
        return await carrier.RegisterTitleAsync(request);
    }

    private static PledgeRequest PledgeOf(ulong titleId) => new()
    {
        FinancingReference = "LOAN-" + Guid.NewGuid(), ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(60)),
        TitleIds = { titleId },
    };

    [Fact]
    public async Task Second_pledge_surfaces_as_TitleAlreadyPledgedException_with_pledgee_and_expiry()
    {
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader");
        await using var bankANode = await RunningNode.StartAsync(fixture, "bank A");
        await using var bankBNode = await RunningNode.StartAsync(fixture, "bank B");
        using var trader = ClientOf(traderNode, traderNode.WriteKey);
        using var bankA = ClientOf(bankANode, bankANode.WriteKey);
        using var bankB = ClientOf(bankBNode, bankBNode.WriteKey);

        var title = (await IssueAsync(Title(traderNode.Address, RandomKey()))).TitleId;
        await bankANode.SyncedToHeadAsync(fixture);
        var granted = await bankA.PledgeAsync(await PledgeOf(title).ConsentedAsync(fixture, bankANode));
        await bankBNode.SyncedToHeadAsync(fixture);
        var rival = await PledgeOf(title).ConsentedAsync(fixture, bankBNode);
        var refused = await Assert.ThrowsAsync<TitleAlreadyPledgedException>(() => bankB.PledgeAsync(rival));

        Assert.Equal(granted.PledgeId, refused.PledgeId);
        Assert.Equal(bankANode.Address, refused.Pledgee, ignoreCase: true);
        Assert.True(refused.ExpiresAt > DateTimeOffset.UtcNow.AddDays(59));
        Assert.Equal(ErrorReason.TitleAlreadyPledged.Name(), refused.Reason);
    }

    [Fact]
    public async Task Each_refusal_maps_to_its_typed_exception()
    {
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader");
        using var trader = ClientOf(traderNode, traderNode.WriteKey);
        using var reader = ClientOf(traderNode, traderNode.ReadKey);
        using var anonymous = ClientOf(traderNode, null);
        var key = RandomKey();
        var title = (await IssueAsync(Title(traderNode.Address, key))).TitleId;

        await Assert.ThrowsAsync<KeyAlreadyLiveException>(() => IssueAsync(Title(traderNode.Address, key)));
        await trader.SurrenderTitleAsync(new SurrenderTitleRequest { TitleId = title });
        await Assert.ThrowsAsync<KeyBurnedException>(() => IssueAsync(Title(traderNode.Address, key)));
        var invalid = await Assert.ThrowsAsync<InvalidLedgerRequestException>(
            () => trader.RegisterTitleAsync(Title("not an address", RandomKey())));
        Assert.Contains(invalid.Violations, v => v.Field == "holder");
        await Assert.ThrowsAsync<LedgerAuthenticationException>(() => anonymous.GetNodeInfoAsync());
        var scope = await Assert.ThrowsAsync<LedgerPermissionException>(
            () => reader.RegisterTitleAsync(Title(traderNode.Address, RandomKey())));
        Assert.Equal(ErrorReason.ScopeMissing.Name(), scope.Reason);
        var selfConsented = await PledgeOf(title).ConsentedAsync(fixture, traderNode);
        var role = await Assert.ThrowsAsync<LedgerPermissionException>(() => trader.PledgeAsync(selfConsented));
        Assert.Equal(ErrorReason.MissingRole.Name(), role.Reason);
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => trader.GetTitleHistoryAsync(ulong.MaxValue));
    }

    [Fact]
    public async Task Over_issue_and_other_ledger_refusals_map_to_their_exceptions()
    {
        await using var portNode = await RunningNode.StartAsync(fixture, "port");
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader");
        await using var bankNode = await RunningNode.StartAsync(fixture, "bank A");
        using var port = ClientOf(portNode, portNode.WriteKey);
        using var trader = ClientOf(traderNode, traderNode.WriteKey);
        using var bank = ClientOf(bankNode, bankNode.WriteKey);
        var lot = RandomKey();
        await port.PublishLoadingAttestationAsync(new PublishLoadingAttestationRequest
        {
            LotKey = lot, PortOfLoading = TestIssuance.PortOfLoading, Quantity = 10, Unit = "TNE",
            LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)), DocumentHash = RandomKey(),
        });
        await traderNode.SyncedToHeadAsync(fixture);

        var overIssue = await Assert.ThrowsAsync<LotOverIssuedException>(() =>
            IssueAsync(
                new RegisterTitleRequest { Holder = traderNode.Address, LotKey = lot, Quantity = 11, Unit = "TNE",
                Keys = { RandomKey() } }));
        var notInPledge = await Assert.ThrowsAsync<LedgerRefusedException>(() =>
            bank.ReleaseAsync(new ReleaseRequest { PledgeId = ulong.MaxValue >> 16, Keys = { RandomKey() } }));

        Assert.Equal(ErrorReason.LotQuantityExceeded.Name(), overIssue.Reason);
        Assert.Equal(ErrorReason.NotInPledge.Name(), notInPledge.Reason);
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, notInPledge.Status);
    }

    [Fact]
    public async Task A_bank_checks_a_bill_of_lading_without_sending_it()
    {
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader");
        await using var bankNode = await RunningNode.StartAsync(fixture, "bank A");
        using var trader = ClientOf(traderNode, traderNode.WriteKey);
        using var bank = ClientOf(bankNode, bankNode.ReadKey);
        var json = TestBills.FreshCopperBill();
        var registered = await TestIssuance.RegisterAsync(
            fixture, new RegisterTitleRequest { Holder = traderNode.Address, BillOfLading = TradeDocuments.FromDcsa(json) });
        await bankNode.SyncedToHeadAsync(fixture);

        // The bank holds the consortium secret, derives the keys itself, and sends only keys.
        var keys = new CollateralKeyDeriver(ConsortiumSecret.FromHex(fixture.ConsortiumSecret));
        var check = await bank.CheckDocumentsLocallyAsync([DcsaTransportDocumentImporter.Import(json)], keys);

        Assert.Equal(registered.Keys.Select(k => k.Value), check.Keys.Select(k => k.Key.Value));
        Assert.All(check.Keys, k => Assert.Equal(registered.TitleId, k.TitleId));
    }

    [Fact]
    public async Task An_unreachable_node_is_NodeUnavailableException_after_retries()
    {
        using var closed = new ClosedPort();
        using var client = new LedgerClient(new LedgerClientOptions
        {
            Address = new Uri(closed.Url), ApiKey = "k", MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(10),
        });

        var failure = await Assert.ThrowsAsync<NodeUnavailableException>(() => client.GetNodeInfoAsync());

        Assert.Equal(Grpc.Core.StatusCode.Unavailable, failure.Status);
    }

    [Fact]
    public async Task Sdk_covers_documents_attestations_history_watch_and_health()
    {
        await using var traderNode = await RunningNode.StartAsync(fixture, "trader");
        await using var portNode = await RunningNode.StartAsync(fixture, "port");
        using var trader = ClientOf(traderNode, traderNode.WriteKey);
        using var port = ClientOf(portNode, portNode.WriteKey);
        // Caught up first: a node still syncing streams the history it applies to live watchers.
        await traderNode.SyncedToHeadAsync(fixture);
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var lot = RandomKey();
        var events = trader.WatchTitleEventsAsync(cancellationToken: watching.Token).GetAsyncEnumerator(watching.Token);
        var first = events.MoveNextAsync();

        var attested = await port.PublishLoadingAttestationAsync(new PublishLoadingAttestationRequest
        {
            LotKey = lot, PortOfLoading = TestIssuance.PortOfLoading, Quantity = 100, Unit = "TNE",
            LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-3)), DocumentHash = RandomKey(),
        });
        await traderNode.SyncedToHeadAsync(fixture);
        var title = await IssueAsync(
            new RegisterTitleRequest { Holder = traderNode.Address, LotKey = lot, Quantity = 100, Unit = "TNE", Keys = { RandomKey() } });
        // Issued through the carrier's node: the trader's node answers about the title once it has indexed its block.
        await traderNode.SyncedToHeadAsync(fixture);
        var listed = await trader.ListLoadingAttestationsAsync(new ListLoadingAttestationsRequest { TitleIds = { title.TitleId } });
        var anchored = await trader.AnchorDocumentsAsync(new AnchorDocumentsRequest { DocumentHashes = { RandomKey() } });
        var proof = await trader.GetDocumentProofAsync(anchored.DocumentHashes[0].ToByteArray());
        var verified = await trader.VerifyDocumentAsync(new VerifyDocumentRequest { DocumentHash = anchored.DocumentHashes[0] });
        var history = await trader.GetTitleHistoryAsync(title.TitleId);

        Assert.True(await trader.IsHealthyAsync());
        Assert.Equal(WriteState.Confirmed, attested.Receipt.State);
        Assert.Equal(lot, listed.Attestations.Single().LotKey);
        Assert.Equal(anchored.MerkleRoot, proof.MerkleRoot);
        Assert.True(verified.Anchored);
        Assert.Equal(TitleEvent.KindOneofCase.Registered, history.Events.Single().KindCase);
        Assert.True(await first);
        Assert.Equal(title.TitleId, events.Current.Registered.TitleId);
        await watching.CancelAsync();
        await events.DisposeAsync();
    }
}
