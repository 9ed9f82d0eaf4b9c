using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// The outbox's promise under a real crash: the node runs as its own process and is killed with SIGKILL in the
/// middle of a burst of writes, then restarted on the same data directory. Retrying every request (same id, same
/// content) must end with every write on chain exactly once.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class OutboxCrashTests(ConsortiumFixture fixture)
{
    private const int BurstSize = 30;
    private const ulong MinedBeforeKill = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_write_of_bursts_interrupted_twice_by_kill_9_lands_on_chain_exactly_once()
    {
        var trader = fixture.Consortium.Member("trader");
        var nonceBefore = await NonceAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("offshore-node-crash-").FullName;
        var first = Burst(trader.Address);
        var second = Burst(trader.Address);
        List<RegisterTitleRequest> all = [.. first, .. second];
        NodeProcess? node = null;
        try
        {
            // Kill 1: a few transactions of the first burst are mined, the rest are somewhere in the outbox (or not yet received).
            node = await NodeProcess.StartAsync(fixture, "trader", dataDirectory, StartTimeout);
            var firstRound = await FireAndKillAsync(node, first, killAtNonce: nonceBefore + MinedBeforeKill);
            var nonceAfterFirstKill = await NonceAsync();
            await node.DisposeAsync();

            // Kill 2: the restarted node resumes the first burst while clients retry it and send a second one.
            node = await NodeProcess.StartAsync(fixture, "trader", dataDirectory, StartTimeout);
            var secondRound = await FireAndKillAsync(node, all, killAtNonce: nonceAfterFirstKill + MinedBeforeKill);
            var nonceAfterSecondKill = await NonceAsync();
            await node.DisposeAsync();

            // Restart once more and retry everything: each retry returns the original outcome.
            node = await NodeProcess.StartAsync(fixture, "trader", dataDirectory, StartTimeout);
            var final = await Task.WhenAll(all.Select(r =>
                node.Titles.RegisterTitleAsync(r, node.Write, deadline: DateTime.UtcNow.AddSeconds(45)).ResponseAsync));
            await node.DisposeAsync();
            node = null;

            // Both kills landed mid-burst.
            Assert.InRange(nonceAfterFirstKill, nonceBefore + MinedBeforeKill, nonceBefore + BurstSize - 1);
            Assert.InRange(nonceAfterSecondKill, nonceAfterFirstKill + MinedBeforeKill, nonceBefore + (ulong)all.Count - 1);
            Assert.All(final, response => Assert.Equal(WriteState.Confirmed, response.Receipt.State));
            var outcome = all.Zip(final).ToDictionary(p => p.First.RequestId, p => p.Second);
            Assert.Equal(all.Count, outcome.Values.Select(r => r.TitleId).Distinct().Count());
            foreach (var (request, answer) in firstRound.Concat(secondRound))
            {
                // An answer given before a kill is the outcome the retry reports.
                Assert.Equal(answer.TitleId, outcome[request.RequestId].TitleId);
                Assert.Equal(answer.Receipt.TransactionHash, outcome[request.RequestId].Receipt.TransactionHash);
            }

            // On chain: one TitleRegistered per request, each request's key in exactly one title, and it is that title.
            var contract = fixture.Consortium.LedgerAs(trader);
            var keyOfRequest = all.ToDictionary(r => Hex.Of(r.Keys.Single().ToByteArray()), r => outcome[r.RequestId].TitleId);
            var registered = (await LedgerEvents.ReadAllAsync(contract, fixture.Consortium.DeploymentBlock))
                .Select(e => e.Event).OfType<TitleRegisteredEvent>()
                .Where(e => e.Keys.Any(k => keyOfRequest.ContainsKey(Hex.Of(k))))
                .ToList();
            Assert.Equal(all.Count, registered.Count);
            foreach (var (key, titleId) in keyOfRequest)
            {
                var carrying = Assert.Single(registered, e => e.Keys.Any(k => Hex.Of(k) == key));
                Assert.Equal(titleId, carrying.TitleId);
                var onChain = await contract.QueryAsync<KeyStateFunction, KeyStateOutput>(new() { Key = Hex.Bytes(key) });
                Assert.Equal(titleId, onChain.TitleId);
            }
            // Nothing sent twice, no nonce skipped: one transaction per request.
            Assert.Equal(nonceBefore + (ulong)all.Count, await NonceAsync());
        }
        finally
        {
            if (node is not null) await node.DisposeAsync();
            try { Directory.Delete(dataDirectory, recursive: true); }
            catch (IOException) { /* a leftover temp folder is harmless */ }
        }
    }

    private static List<RegisterTitleRequest> Burst(string holder) =>
    [
        .. Enumerable.Range(0, BurstSize).Select(_ => new RegisterTitleRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            Holder = holder,
            LotKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
            Quantity = 100,
            Unit = "TNE",
            Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
        }),
    ];

    /// <summary>
    /// Sends <paramref name="requests"/> concurrently and kills the node (SIGKILL) as soon as the chain shows the
    /// signer's nonce at <paramref name="killAtNonce"/>: the sender is then mid-burst, with entries in every state.
    /// Returns the requests the node answered before it died.
    /// </summary>
    private async Task<IReadOnlyList<(RegisterTitleRequest Request, RegisterTitleResponse Response)>> FireAndKillAsync(
        NodeProcess node, IReadOnlyList<RegisterTitleRequest> requests, ulong killAtNonce)
    {
        var calls = requests.Select(async request =>
        {
            try
            {
                var response = await node.Titles.RegisterTitleAsync(request, node.Write, deadline: DateTime.UtcNow.AddSeconds(30));
                return (Request: request, Response: (RegisterTitleResponse?)response);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown)
            {
                // The kill cut this call off; the client does not know whether the node accepted it.
                return (Request: request, Response: null);
            }
        }).ToList();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await NonceAsync() < killAtNonce)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"The signer's nonce did not reach {killAtNonce} within 30 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
        await node.KillAsync();
        var outcomes = await Task.WhenAll(calls);
        return [.. outcomes.Where(o => o.Response is not null).Select(o => (o.Request, o.Response!))];
    }

    /// <summary>The trader's transaction count as mined.</summary>
    private async Task<ulong> NonceAsync() =>
        (ulong)(await fixture.Chain.Web3For(0).Eth.Transactions.GetTransactionCount.SendRequestAsync(
            fixture.Consortium.Member("trader").Address, BlockParameter.CreateLatest())).Value;
}
