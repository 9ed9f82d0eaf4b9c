using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>One real local chain (anvil on a free port) shared by the contract tests; each test deploys its own contract.</summary>
public sealed class ChainFixture : IAsyncLifetime
{
    private AnvilChain? _chain;

    public AnvilChain Chain => _chain ?? throw new InvalidOperationException("The chain has not started.");

    public async Task InitializeAsync() => _chain = await AnvilChain.StartAsync(new AnvilOptions { Accounts = 16 });

    public async Task DisposeAsync()
    {
        if (_chain is not null) await _chain.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ChainCollection : ICollectionFixture<ChainFixture>
{
    public const string Name = "chain";
}
