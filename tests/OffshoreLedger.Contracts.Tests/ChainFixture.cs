using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>
/// One real local chain (anvil on a free port) shared by the contract tests. Each test starts from a freshly enrolled
/// consortium (<see cref="FreshConsortiumAsync"/>) or deploys a contract of its own.
/// </summary>
public sealed class ChainFixture : IAsyncLifetime
{
    private AnvilChain? _chain;
    private EnrolledState? _enrolled;

    public AnvilChain Chain => _chain ?? throw new InvalidOperationException("The chain has not started.");

    public async Task InitializeAsync() => _chain = await AnvilChain.StartAsync(new AnvilOptions { Accounts = 16 });

    /// <summary>
    /// A consortium just deployed and enrolled, as <see cref="TestConsortium.CreateAsync"/> leaves it, with nothing else done
    /// to it. The first call deploys and enrols it and snapshots the chain; later calls revert the chain to that snapshot
    /// (and snapshot again: anvil's snapshots are single-use) instead of sending the same twenty transactions again, so every
    /// test gets the same contract address in the same untouched state. A revert undoes everything sent since, so a test
    /// calls this first, once per consortium it needs; the tests of a collection run one at a time, so none reverts
    /// another's chain under it.
    /// </summary>
    public async Task<TestConsortium> FreshConsortiumAsync()
    {
        TestConsortium consortium;
        if (_enrolled is null)
        {
            consortium = await TestConsortium.CreateAsync(Chain);
        }
        else
        {
            await Chain.RevertAsync(_enrolled.SnapshotId);
            consortium = TestConsortium.Attach(Chain, _enrolled.ContractAddress, _enrolled.DeploymentBlock);
        }
        _enrolled = new EnrolledState(await Chain.SnapshotAsync(), consortium.Ledger.Address, consortium.DeploymentBlock);
        return consortium;
    }

    public async Task DisposeAsync()
    {
        if (_chain is not null) await _chain.DisposeAsync();
    }

    private sealed record EnrolledState(string SnapshotId, string ContractAddress, ulong DeploymentBlock);
}

[CollectionDefinition(Name)]
public sealed class ChainCollection : ICollectionFixture<ChainFixture>
{
    public const string Name = "chain";
}
