using System.Collections.Concurrent;
using System.Security.Cryptography;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Dcsa;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Outbox;
using OffshoreLedger.Node.Storage;
using OffshoreLedger.Node.Titles;
using Xunit.Abstractions;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>
/// Ten thousand generated malformed requests (<see cref="MalformedRequests"/>) against a running node in its own
/// process: none crashes it, each gets a clear status — INVALID_ARGUMENT naming the fields, NOT_FOUND, the size limit,
/// an authentication error, or for a read that happens to be valid an answer — and neither the chain nor the node's
/// index nor its outbox changes.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed class BadInputTests(ConsortiumFixture fixture, ITestOutputHelper output)
{
    private const int Requests = 10_000, Oversized = 5, Concurrency = 16;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Ten_thousand_malformed_requests_each_get_a_clear_status_crash_nothing_and_change_nothing()
    {
        var seed = TestSeed.Next(output);
        var random = new Random(seed);
        // The auditor: a member, so even a random message that parsed into a valid write could only be refused on chain.
        var auditor = fixture.Consortium.Member("auditor");
        var folder = fixture.NewTemporaryDirectory("offshore-bad-input-");
        var node = await NodeProcess.StartAsync(fixture, "auditor", folder, StartTimeout);
        using var channel = GrpcChannel.ForAddress(node.Url, new GrpcChannelOptions { MaxRetryAttempts = 0 });
        var invoker = channel.CreateCallInvoker();
        var key = new Metadata { { ApiKeys.Header, ConsortiumFixture.WriteKey } };
        var titles = new TitleService.TitleServiceClient(channel);
        var nodeInfo = new NodeService.NodeServiceClient(channel);
        var statuses = new ConcurrentDictionary<string, int>();
        var unclear = new ConcurrentQueue<string>();
        byte[] anchoredRoot = [];
        try
        {
            // A real anchored batch, so generated proofs against an anchored root reach the Merkle verifier.
            var anchored = await new DocumentService.DocumentServiceClient(channel).AnchorDocumentsAsync(
                new AnchorDocumentsRequest { RequestId = Guid.NewGuid().ToString(),
                    DocumentHashes = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) } }, key);
            await ChainTruth.UntilAsync(
                async () => (await nodeInfo.GetNodeInfoAsync(new GetNodeInfoRequest(), key))
                .Synced.BlockNumber >= anchored.Receipt.BlockNumber,
                StartTimeout, () => "The auditor's node did not index its own anchor.");
            anchoredRoot = anchored.MerkleRoot.ToByteArray();
            var before = await StateAsync(titles, nodeInfo, key, auditor.Address);

            var generator = new MalformedRequests(random, auditor.Address, anchoredRoot);
            var requests = Enumerable.Range(0, Requests - Oversized).Select(_ => generator.Next())
                .Concat(Enumerable.Range(0, Oversized).Select(_ => generator.Oversize()))
                .ToList();
            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, ct) =>
            {
                StatusCode code;
                Google.Rpc.Status? status = null;
                try
                {
                    await request.SendAsync(invoker, new CallOptions(key, DateTime.UtcNow.AddSeconds(30), ct));
                    code = StatusCode.OK;
                }
                catch (RpcException ex)
                {
                    code = ex.StatusCode;
                    status = ex.GetRpcStatus();
                    if (Unclear(request, ex, status) is { } why) unclear.Enqueue($"{request.Method} ({request.Flaw}): {why}: {ex.Status}");
                }
                if (code == StatusCode.OK && request.Writes) unclear.Enqueue(
                    $"{request.Method} ({request.Flaw}): a malformed write was accepted");
                statuses.AddOrUpdate($"{request.Method} {code}", 1, (_, n) => n + 1);
            });
            foreach (var (name, count) in statuses.OrderBy(s => s.Key)) output.WriteLine($"{count,6} {name}");

            // Zero crashes, each answered clearly, state unchanged.
            Assert.False(node.HasExited, "The node's process died.");
            Assert.Equal(
                HealthCheckResponse.Types.ServingStatus.Serving,
                (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest())).Status);
            Assert.Equal(Requests, statuses.Values.Sum());
            if (!unclear.IsEmpty) output.WriteLine($"The node's last output:{Environment.NewLine}{node.RecentOutput()}");
            Assert.True(
                unclear.IsEmpty,
                $"{unclear.Count} requests got no clear answer (seed {seed}), " +
                $"e.g.:{Environment.NewLine}{string.Join(Environment.NewLine, unclear.Take(10))}");
            var after = await StateAsync(titles, nodeInfo, key, auditor.Address);
            Assert.Equal(before, after);
        }
        finally
        {
            await node.DisposeAsync();
        }
        // Nothing reached the outbox: no write waits, and the one ever sent is the anchor made before the barrage.
        using (var storeDatabase = new LedgerStore(Path.Combine(folder, "store")))
        {
            var store = new OutboxStore(storeDatabase);
            Assert.Empty(store.PendingOutbox());
            Assert.Equal("anchor:" + Hex.Of(anchoredRoot), Assert.Single(store.OutboxMinedAfter(0)).RequestId);
        }
    }

    [Fact]
    public async Task Bytes_that_are_no_request_are_MALFORMED_MESSAGE_and_every_kind_of_RPC_still_binds()
    {
        await using var node = await RunningNode.StartAsync(fixture, "auditor");
        // Caught up first: a node still syncing streams the history it applies to live watchers.
        await node.SyncedToHeadAsync(fixture);
        using var channel = GrpcChannel.ForAddress(node.Url);
        var garbage = new Method<byte[], byte[]>(MethodType.Unary, "offshore_ledger.v1.TitleService", "RegisterTitle",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

        // A length-delimited field whose length runs past the end: no RegisterTitleRequest at all.
        var malformed = await Assert.ThrowsAsync<RpcException>(
            () => channel.CreateCallInvoker().AsyncUnaryCall(garbage, null, new CallOptions(node.Write), [0x0A, 0x7F, 0x01]).ResponseAsync);
        // Health is NOT_SERVING until the node's first step against the chain; either answer shows the service is bound.
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        // A server stream runs until its deadline (a missing binding would be UNIMPLEMENTED at once).
        using var watch = node.Titles.WatchTitleEvents(new WatchTitleEventsRequest(), node.Read, deadline: DateTime.UtcNow.AddSeconds(1));
        using var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();

        Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
        Assert.Equal(ErrorReason.MalformedMessage.Name(), malformed.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
        Assert.Contains(
            health.Status, new[] { HealthCheckResponse.Types.ServingStatus.Serving, HealthCheckResponse.Types.ServingStatus.NotServing });
        Assert.Equal(
            StatusCode.DeadlineExceeded,
            (await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None))).StatusCode);
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Superset(
            new HashSet<string> { "offshore_ledger.v1.TitleService", "offshore_ledger.v1.NodeService", "grpc.health.v1.Health" },
            reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet());
    }

    [Fact]
    public async Task A_bill_valid_as_a_document_but_with_no_key_to_derive_is_a_field_violation_not_a_crash()
    {
        // Found by the generator (seed 2033927614): a reference of punctuation alone passes document validation, but
        // normalises to nothing a collateral key can be derived from; the node answered UNKNOWN "Exception was thrown by handler".
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var bill = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText("TestData/dcsa/ebl-3.0-copper-cathodes.json"))!;
        bill["transportDocumentReference"] = "--/--";
        var request = new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(), Holder = trader.Address,
            BillOfLading = new TradeDocument { Type = OffshoreLedger.Api.V1.TradeDocumentType.BillOfLading,
                Format = DocumentFormat.DcsaEbl3, Json = bill.ToJsonString() },
        };

        var refused = await Assert.ThrowsAsync<RpcException>(() => trader.Titles.RegisterTitleAsync(request, trader.Write).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(
            refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations,
            v => v.Field == "bill_of_lading.json.transportDocumentReference");
    }

    [Fact]
    public async Task An_attestation_whose_quantity_is_beyond_any_the_chain_holds_is_a_field_violation_not_a_crash()
    {
        // Found by the generator (seed 1315590878, a clean-clone run): a mutated attestation's quantity above ulong's range
        // passed the positive-whole-number check and overflowed its conversion; the node answered UNKNOWN.
        await using var port = await RunningNode.StartAsync(fixture, "port");
        var attestation = System.Text.Json.Nodes.JsonNode.Parse(
            File.ReadAllText(Path.Combine(SampleTrade.SamplesFolder, "loading-attestation.json")))!;
        attestation["quantity"]!["value"] = 1e28m;
        var request = new PublishLoadingAttestationRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Attestation = new TradeDocument { Type = OffshoreLedger.Api.V1.TradeDocumentType.LoadingAttestation,
                Format = DocumentFormat.OffshoreLedger, Json = attestation.ToJsonString() },
        };

        var refused = await Assert.ThrowsAsync<RpcException>(
            () => port.Attestations.PublishLoadingAttestationAsync(request, port.Write).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(
            refused.GetRpcStatus()!.GetDetail<BadRequest>().FieldViolations, v => v.Field == "attestation.json.quantity.value");
    }

    [Fact]
    public void A_bill_whose_quantities_add_up_beyond_any_number_is_a_field_violation_not_an_overflow()
    {
        var bill = DcsaTransportDocumentImporter.Import(File.ReadAllText("TestData/dcsa/ebl-3.0-copper-cathodes.json"));
        var item = bill.ConsignmentItems[0] with { Quantity = new Measure(decimal.MaxValue, "BE") };
        bill = bill with { ConsignmentItems = [item, item] };
        var keys = new CollateralKeyDeriver(ConsortiumSecret.FromHex(fixture.ConsortiumSecret)).KeysFor(bill);
        var check = new RequestCheck();

        var (lots, _) = TitleQuantities.Of(bill, keys, check);

        Assert.Empty(lots);
        Assert.Equal("bill_of_lading.json.consignmentItems", Assert.Single(check.Violations).Field);
    }

    /// <summary>Why a failure is not a clear answer, or null when it is.</summary>
    private static string? Unclear(MalformedRequest request, RpcException ex, Google.Rpc.Status? status)
    {
        var reason = status?.GetDetail<ErrorInfo>()?.Reason;
        return ex.StatusCode switch
        {
            // The node refused the fields, and named them.
            StatusCode.InvalidArgument when reason == ErrorReason.InvalidArgument.Name()
                && status!.GetDetail<BadRequest>()?.FieldViolations.Count > 0 => null,
            // Bytes that are no message of the RPC's type at all.
            StatusCode.InvalidArgument when reason == ErrorReason.MalformedMessage.Name() && request.Flaw == "random bytes" => null,
            StatusCode.NotFound or StatusCode.Unauthenticated when reason is { Length: > 0 } => null,
            // gRPC's own answer before any handler runs, or the node's before parsing: over the size limit.
            StatusCode.ResourceExhausted when ex.Status.Detail.Contains("exceeds the maximum", StringComparison.Ordinal) => null,
            StatusCode.ResourceExhausted when reason == ErrorReason.MessageTooLarge.Name() => null,
            // Random bytes that parse into a well-formed write: the contract refuses it for this member, on simulation.
            StatusCode.PermissionDenied or StatusCode.FailedPrecondition or StatusCode.NotFound
                when request.Flaw == "random bytes" && reason is { Length: > 0 } => null,
            _ => $"{ex.StatusCode} {reason}",
        };
    }

    /// <summary>
    /// What must not change: the chain's head, the member's nonce, the contract's logs, the node's synced block, its answers.
    /// </summary>
    private async Task<string> StateAsync(
        TitleService.TitleServiceClient titles, NodeService.NodeServiceClient nodeInfo, Metadata key, string member)
    {
        var head = await fixture.Chain.Web3For(0).Eth.Blocks.GetBlockNumber.SendRequestAsync();
        var info = await nodeInfo.GetNodeInfoAsync(new GetNodeInfoRequest(), key);
        var check = await titles.CheckCollateralAsync(
            new CheckCollateralRequest { TitleIds = { Enumerable.Range(1, 50).Select(i => (ulong)i) } }, key);
        var logs = await ChainTruth.EventsAsync(fixture);
        return $"head {head.Value}, nonce {await ChainTruth.NonceAsync(fixture, member)}, logs {logs.Count}, synced " +
            $"{info.Synced.BlockNumber} {info.Synced.BlockHash.ToBase64()}, "
            + $"titles {string.Join(";", check.Titles)}";
    }
}
