using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Storage;

namespace OffshoreLedger.Node.Hosting;

/// <summary>
/// The chain id without waiting for the chain: configured (Chain:ChainId), else the one the store was first started
/// with. Only a first start without Chain:ChainId asks the chain, and then it must answer. The outbox checks the id
/// against the chain before it signs anything. Resolved once, asynchronously, by <see cref="LedgerNodeApp.BuildAsync"/>
/// before the host starts, so that the <see cref="ChainId"/> the services take is a plain value.
/// </summary>
public sealed class ChainIdResolution(IOptions<ChainOptions> options, LedgerStore store)
{
    private ChainId? _resolved;

    public ChainId Resolved =>
        _resolved ?? throw new InvalidOperationException("The chain id is resolved by LedgerNodeApp.BuildAsync before the node starts.");

    public async Task ResolveAsync(CancellationToken cancellationToken) =>
        _resolved = await ResolveAsync(options.Value, store, cancellationToken);

    private static async Task<ChainId> ResolveAsync(ChainOptions options, LedgerStore store, CancellationToken cancellationToken)
    {
        var stored = store.ChainId;
        if (options.ChainId is { } configured)
        {
            if (stored is not null && stored != configured)
            {
                throw new NodeStartupException($"Chain:ChainId is {configured}, but this node's store holds writes for chain {stored}.");
            }
            store.ChainId = configured;
            return new ChainId(configured);
        }
        if (stored is { } known) return new ChainId(known);
        using var rpc = new ChainRpc(options.Endpoints, TimeSpan.FromSeconds(10));
        try
        {
            var answer = await rpc.CallAsync(new RpcCall("eth_chainId"), cancellationToken);
            if (answer.Error is { } error) throw error;
            var id = Convert.ToUInt64(answer.String, 16);
            store.ChainId = id;
            return new ChainId(id);
        }
        catch (Exception ex) when (ChainAvailability.IsUnreachable(ex))
        {
            throw new NodeStartupException(
                $"The chain ({string.Join(", ", options.Endpoints)}) did not answer and this node has never been started on it: " +
                $"set Chain:ChainId to start without it ({ex.GetBaseException().Message}).");
        }
    }
}
