using System.Text.Json;
using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Node.Tests;

/// <summary>The README's run command: the development consortium as separate processes, persistent between runs.</summary>
[Collection(RunningDevnetCollection.Name)]
public sealed class DevnetCommandTests(RunningDevnet devnet)
{
    private sealed record DevnetNodeEntry(string Name, string Role, string Address, string Url, string ApiKeysFile)
    {
        public DevnetApiKeys Keys => DevnetApiKeys.Load(ApiKeysFile);
    }

    private sealed record DevnetEntries(
        string ContractAddress, string CertificateAuthorityFile, List<DevnetNodeEntry> Nodes, string ChainUrl);

    private static LedgerClient Client(DevnetEntries entries, DevnetNodeEntry node, string key) =>
        new(new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = key,
            CertificateAuthorityFile = entries.CertificateAuthorityFile });

    [Fact]
    public async Task Devnet_serves_six_enrolled_nodes_stops_on_sigint_and_keeps_its_data_for_the_next_run()
    {
        var data = devnet.Data;
        var key = ByteString.CopyFrom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var first = JsonSerializer.Deserialize<DevnetEntries>(File.ReadAllText(Path.Combine(data, "devnet.json")))!;
        Assert.Equal(["bank A", "bank B", "port", "trader", "auditor", "carrier"], first.Nodes.Select(n => n.Name));
        Assert.Equal(6, first.Nodes.Select(n => n.Url).Distinct().Count());
        // Started with --chain-port 0 --base-port 0: devnet.json and the printed table hold the ports actually bound.
        Assert.All(first.Nodes, n => Assert.NotEqual(0, new Uri(n.Url).Port));
        Assert.NotEqual(0, new Uri(first.ChainUrl).Port);
        Assert.All(first.Nodes, n => Assert.Contains(n.Url, devnet.Run.Output, StringComparison.Ordinal));
        Assert.Contains(first.ChainUrl, devnet.Run.Output, StringComparison.Ordinal);
        // Each node's folder configures the offshore CLI for it.
        var traderCli = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "trader", "cli.json"))).RootElement;
        Assert.Equal(first.Nodes.Single(n => n.Name == "trader").Url, traderCli.GetProperty("node").GetString());
        Assert.True(File.Exists(traderCli.GetProperty("consortiumSecretFile").GetString()));
        Assert.Equal(first.CertificateAuthorityFile, traderCli.GetProperty("caFile").GetString());
        foreach (var node in first.Nodes)
        {
            Assert.StartsWith("https://127.0.0.1:", node.Url, StringComparison.Ordinal);
            using var client = Client(first, node, node.Keys.Read);
            var info = await client.GetNodeInfoAsync();
            Assert.True(info.ActiveMember, node.Name);
            Assert.Equal(node.Address, info.Address, ignoreCase: true);
            Assert.Equal(first.ContractAddress, info.ContractAddress, ignoreCase: true);
        }
        // Issue 14: the port attests the lot, the carrier's node issues the title to the trader.
        var traderEntry = first.Nodes.Single(n => n.Name == "trader");
        using var trader = Client(first, traderEntry, traderEntry.Keys.Write);
        var portEntry = first.Nodes.Single(n => n.Name == "port");
        using var port = Client(first, portEntry, portEntry.Keys.Write);
        var carrierEntry = first.Nodes.Single(n => n.Name == "carrier");
        using var carrier = Client(first, carrierEntry, carrierEntry.Keys.Write);
        var lot = ByteString.CopyFrom(new byte[31].Append((byte)7).ToArray());
        await port.PublishLoadingAttestationAsync(new PublishLoadingAttestationRequest
        {
            LotKey = lot, PortOfLoading = TestIssuance.PortOfLoading, Quantity = 3, Unit = "TNE",
            LoadedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
            DocumentHash = ByteString.CopyFrom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        await carrier.RegisterTitleAsync(new RegisterTitleRequest
        {
            Holder = traderEntry.Address, LotKey = lot, Quantity = 3, Unit = "TNE", Keys = { key },
            CarrierCode = TestIssuance.CarrierCode,
        });
        // Each node's operators hold an admin key (api-keys.txt) for its outbox; the write key is not one.
        using var traderAdmin = Client(first, traderEntry, traderEntry.Keys.Admin);
        Assert.Empty((await traderAdmin.ListWritesAsync(WriteFilter.DeadLettered)).Writes);
        await Assert.ThrowsAnyAsync<Exception>(() => trader.ListWritesAsync(WriteFilter.DeadLettered));

        // Ctrl-C stops every process of it; the next run serves the same ledger.
        var (exitCode, leftRunning) = await devnet.RestartAsync();
        Assert.Equal(0, exitCode);
        Assert.Empty(leftRunning);

        var second = JsonSerializer.Deserialize<DevnetEntries>(File.ReadAllText(Path.Combine(data, "devnet.json")))!;
        Assert.Equal(first.ContractAddress, second.ContractAddress);
        // The second run bound ports of its own and says so: the CLI configuration follows devnet.json.
        var traderCliAfter = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "trader", "cli.json"))).RootElement;
        Assert.Equal(second.Nodes.Single(n => n.Name == "trader").Url, traderCliAfter.GetProperty("node").GetString());
        var bankEntry = second.Nodes.Single(n => n.Name == "bank A");
        using var bank = Client(second, bankEntry, bankEntry.Keys.Read);
        var check = await bank.CheckCollateralAsync(new CheckCollateralRequest { Keys = { key }, Consistency = Consistency.ChainHead });
        Assert.NotEqual(0UL, check.Keys.Single().TitleId);
    }
}
