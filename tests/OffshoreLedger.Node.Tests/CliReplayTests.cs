using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Node.Tests;

/// <summary>The auditor's replay from the chain alone, through the CLI.</summary>
[Collection(NodeCollection.Name)]
public sealed class CliReplayTests(ConsortiumFixture fixture)
{
    [Fact]
    public async Task Replay_from_the_chain_alone_matches_the_contracts_counts_and_two_replays_agree_on_the_digest()
    {
        await using var trader = await RunningNode.StartAsync(fixture, "trader");
        var cli = CliParticipant.For(trader, Directory.CreateTempSubdirectory("offshore-cli-").FullName);
        var sample = SampleTrade.Fresh();
        Assert.Equal(0, (await cli.RunAsync("trader", "register", "--bl", sample.BillOfLading)).ExitCode);
        string[] replay = ["auditor", "replay", "--rpc", fixture.Chain.RpcUrl, "--contract", fixture.Consortium.ContractAddress, "--from", fixture.Consortium.DeploymentBlock.ToString(), "--json"];

        var first = await cli.RunAsync(replay);
        var second = await cli.RunAsync(replay);

        Assert.Equal(0, first.ExitCode);
        var report = first.Json;
        var counts = await new LedgerContract(fixture.Chain.Web3For(0), fixture.Consortium.ContractAddress).QueryAsync<CountsFunction, CountsOutput>(new());
        Assert.Equal(counts.Pledges, report.GetProperty("counts").GetProperty("pledgesGranted").GetUInt64());
        Assert.Equal(counts.Titles, report.GetProperty("counts").GetProperty("titlesLive").GetUInt64() + report.GetProperty("counts").GetProperty("titlesSurrendered").GetUInt64());
        Assert.Matches("^0x[0-9a-f]{64}$", report.GetProperty("digest").GetString());
        // Nothing was written between the two replays: same history, same digest. One more event changes it.
        Assert.Equal(report.GetProperty("toBlock").GetUInt64(), second.Json.GetProperty("toBlock").GetUInt64());
        Assert.Equal(report.GetProperty("digest").GetString(), second.Json.GetProperty("digest").GetString());
        Assert.Equal(0, (await cli.RunAsync("trader", "register", "--bl", SampleTrade.Fresh().BillOfLading)).ExitCode);
        var third = await cli.RunAsync(replay);
        Assert.NotEqual(report.GetProperty("digest").GetString(), third.Json.GetProperty("digest").GetString());
        // For people: a progress bar on stderr, the report as tables on stdout.
        var human = await cli.RunAsync(replay[..^1]);
        Assert.Equal(0, human.ExitCode);
        Assert.Contains($"Digest {third.Json.GetProperty("digest").GetString()}", human.Stdout);
        Assert.Contains("titlesLive", human.Stdout);
    }

    [Fact]
    public async Task Replay_of_an_unreachable_chain_exits_4_and_a_bad_address_exits_2()
    {
        var cli = new CliParticipant("http://127.0.0.1:1", "unused", Directory.CreateTempSubdirectory("offshore-cli-").FullName);

        var unreachable = await cli.RunAsync("auditor", "replay", "--rpc", "http://127.0.0.1:1", "--contract", fixture.Consortium.ContractAddress, "--json");
        var badAddress = await cli.RunAsync("auditor", "replay", "--rpc", fixture.Chain.RpcUrl, "--contract", "0x1234", "--json");

        Assert.Equal(4, unreachable.ExitCode);
        Assert.Equal(2, badAddress.ExitCode);
    }
}
