using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Auth;

namespace OffshoreLedger.Node.Tests.Operations;

/// <summary>
/// The README walkthrough against four nodes in their own processes, logging JSON at Debug level with a management
/// listener each: afterwards bank B's scrape shows what the walkthrough did, the dashboard asks only for metrics that
/// exist, and nothing any node wrote contains an API key, a passphrase, a private key or the consortium secret.
/// </summary>
[Collection(NodeFaultsCollection.Name)]
public sealed partial class WalkthroughTelemetryTests(ConsortiumFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private readonly string _root = Directory.CreateTempSubdirectory("offshore-telemetry-").FullName;
    private readonly Dictionary<string, NodeProcess> _nodes = [];

    public async Task InitializeAsync()
    {
        string[] members = ["trader", "port", "bank A", "bank B", "carrier"];
        var started = await Task.WhenAll(members.Select(m => NodeProcess.StartAsync(
            fixture, m, Path.Combine(_root, m.Replace(' ', '-')), StartTimeout, extraArguments:
            [
                "--Logging:Format=json", "--Logging:LogLevel:Default=Debug", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
                "--Node:Management:Url=http://127.0.0.1:0",
            ])));
        for (var i = 0; i < members.Length; i++) _nodes[members[i]] = started[i];
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes.Values) await node.DisposeAsync();
        TemporaryDirectory.Delete(_root);
    }

    [Fact]
    public async Task After_the_walkthrough_the_scrape_shows_it_the_dashboard_asks_only_for_real_metrics_and_no_secret_was_logged()
    {
        var home = Path.Combine(_root, "home");
        Directory.CreateDirectory(home);
        var trader = Cli("trader", home);
        var carrier = Cli("carrier", home);
        var port = Cli("port", home);
        var bankA = Cli("bank A", home);
        var bankB = Cli("bank B", home);
        var bankAAddress = fixture.Consortium.Member("bank A").Address;
        var bankBAddress = fixture.Consortium.Member("bank B").Address;
        using var trade = SampleTrade.Fresh();

        Ok(await port.RunAsync("port", "attest", "--file", trade.Attestation));
        await SyncedAsync("carrier");
        // Issue 14: the carrier bound to the B/L's carrier code issues the title to the trader.
        var titleId = Ok(
            await carrier.RunAsync(
                "carrier", "issue", "--bl", trade.BillOfLading, "--holder", fixture.Consortium.Member("trader").Address, "--json"))
            .Json.GetProperty("titleId").GetUInt64().ToString(CultureInfo.InvariantCulture);
        Ok(await trader.RunAsync("trader", "anchor", trade.BillOfLading, trade.PurchaseInvoice, trade.SalesInvoice));
        Ok(await bankB.RunAsync("trader", "anchor", trade.SaleSettlement));
        await SyncedAsync("trader");
        var consentA = Path.Combine(home, "consent-a.json");
        Ok(await trader.RunAsync("trader", "consent", "--title", titleId, "--bank", bankAAddress, "--days", "90", "--out", consentA));
        var pledgeId = Ok(await bankA.RunAsync("bank", "pledge", "--consent", consentA, "--reference", "BKA-TF-1", "--json"))
            .Json.GetProperty("pledgeId").GetUInt64().ToString(CultureInfo.InvariantCulture);
        // Bank B tries twice with the trader's consent: both blocked by bank A's pledge.
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await SyncedAsync("trader");
            var consentB = Path.Combine(home, $"consent-b-{attempt}.json");
            Ok(await trader.RunAsync("trader", "consent", "--title", titleId, "--bank", bankBAddress, "--days", "60", "--out", consentB));
            await SyncedAsync("bank B");
            var refused = await bankB.RunAsync("bank", "pledge", "--consent", consentB, "--reference", $"BKB-LC-{attempt}");
            Assert.True(refused.ExitCode == 3, refused.ToString());
        }
        Ok(await bankA.RunAsync("bank", "release", "--pledge", pledgeId, "--title", titleId));
        await SyncedAsync("trader");
        var consentB3 = Path.Combine(home, "consent-b-3.json");
        Ok(await trader.RunAsync("trader", "consent", "--title", titleId, "--bank", bankBAddress, "--days", "60", "--out", consentB3));
        await SyncedAsync("bank B");
        Ok(await bankB.RunAsync("bank", "pledge", "--consent", consentB3, "--reference", "BKB-LC-3"));
        await SyncedAsync("bank B");

        var management = await _nodes["bank B"].ManagementUrl.WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri(management) };
        var scrape = Samples.Parse(await http.GetStringAsync("/metrics"));
        var status = await Cli("bank B", home).RunAsync("node", "status", "--management", management, "--json");

        // Each metric family of the issue, with the values the walkthrough implies.
        Assert.Equal(
            2, scrape.Value(
                "offshore_ledger_writes_refused_total", ("operation", "Pledge"), ("reason", ErrorReason.TitleAlreadyPledged.Name())));
        Assert.Equal(1, scrape.Value("offshore_ledger_writes_confirmed_total", ("operation", "Pledge")));
        Assert.Equal(
            2, scrape.Value(
                "offshore_ledger_rpc_server_duration_seconds_count", ("rpc_method", "offshore_ledger.v1.TitleService/Pledge"),
                ("grpc_status", "9")));
        Assert.Equal(
            1, scrape.Value(
                "offshore_ledger_rpc_server_duration_seconds_count", ("rpc_method", "offshore_ledger.v1.TitleService/Pledge"),
                ("grpc_status", "0")));
        Assert.Equal(0, scrape.Value("offshore_ledger_outbox_entries", ("state", "dead_lettered")));
        Assert.Equal(0, scrape.Value("offshore_ledger_outbox_entries", ("state", "sent")));
        Assert.Equal(0, scrape.Value("offshore_ledger_outbox_oldest_age_seconds"));
        var head = scrape.Value("offshore_ledger_chain_head");
        Assert.True(head > 0);
        Assert.True(scrape.Value("offshore_ledger_sync_block") + 5 >= head);
        Assert.True(scrape.Value("offshore_ledger_sync_lag") <= 5);
        Assert.True(scrape.Has("offshore_ledger_sync_lag_time_seconds"));
        Assert.Equal(0, scrape.Value("offshore_ledger_sync_reorgs_total"));
        Assert.True(scrape.Has("offshore_ledger_sync_reorg_last_depth"));
        // three pledges, one anchor
        Assert.True(
            scrape.Value("offshore_ledger_chain_rpc_duration_seconds_count", ("method", "eth_sendRawTransaction"), ("outcome", "ok")) >= 4);
        Assert.Equal(fixture.Chain.RpcUrl.TrimEnd('/'), scrape.Label("offshore_ledger_chain_rpc_duration_seconds_count", "endpoint"));
        Assert.True(scrape.Value("offshore_ledger_index_size", ("kind", "titles")) >= 1);
        Assert.True(scrape.Value("offshore_ledger_index_size", ("kind", "pledges")) >= 2);
        Assert.True(scrape.Value("offshore_ledger_index_size", ("kind", "keys")) >= 5);
        Assert.Equal(0, scrape.Value("offshore_ledger_watchers"));
        Assert.Equal(0, scrape.Value("offshore_ledger_rate_limit_rejections_total", ("limit", "calls_per_second")));
        Assert.Equal(1, scrape.Value("offshore_ledger_anchor_batch_size_count"));
        Assert.Equal(1, scrape.Value("offshore_ledger_anchor_batch_size_sum"));
        Assert.True(scrape.Has("offshore_ledger_anchor_batch_duration_seconds_count"));

        // The dashboard's queries name only metrics this node exports.
        var dashboard = File.ReadAllText(
            Path.Combine(AppContext.BaseDirectory, "Deployment", "observability", "grafana", "dashboards", "offshore-ledger.json"));
        var expressions = JsonDocument.Parse(dashboard).RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
        Assert.NotEmpty(expressions);
        var queried = expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).Distinct().ToList();
        Assert.True(queried.Count >= 15, string.Join(", ", queried));
        Assert.All(queried, name => Assert.True(scrape.Has(name), $"the dashboard queries {name}, which the node does not export"));

        // The operator's snapshot names the refusals.
        Assert.True(status.ExitCode == 0, status.ToString());
        var refusals = status.Json.GetProperty("recentRefusals").EnumerateArray().Select(r => r.GetProperty("reason").GetString()).ToList();
        Assert.Equal([ErrorReason.TitleAlreadyPledged.Name(), ErrorReason.TitleAlreadyPledged.Name()], refusals);

        // Logs: one JSON object per line, with stable event ids; the request id, the API key's name and the transaction hash as fields.
        var lines = _nodes.Values.SelectMany(
            n => n.AllOutput().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var logs = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(logs, l => Assert.True(l.TryGetProperty("EventId", out _)));
        var refusedLog = logs.Where(l => l.GetProperty("EventId").GetInt32() == 2302).ToList();
        Assert.Equal(2, refusedLog.Count);
        Assert.All(refusedLog, l =>
        {
            Assert.Matches("^0x[0-9a-f]{64}$", l.GetProperty("State").GetProperty("TransactionHash").GetString());
            Assert.False(string.IsNullOrEmpty(l.GetProperty("State").GetProperty("RequestId").GetString()));
            Assert.Contains(
                l.GetProperty("Scopes").EnumerateArray(), s => s.TryGetProperty("Caller", out var caller) && caller.GetString() == "write");
        });

        // No secret in anything any node wrote.
        var output = string.Join('\n', lines);
        string[] secrets =
        [
            ConsortiumFixture.WriteKey, ConsortiumFixture.ReadKey, ConsortiumFixture.AdminKey, fixture.ConsortiumSecret,
            .. _nodes.Keys.Select(m => File.ReadAllText(Path.Combine(_root, m.Replace(' ', '-'), "identity", "passphrase")).Trim()),
            .. _nodes.Keys.Select(
                m => fixture.Chain.Accounts[fixture.Consortium.Member(m).Account].PrivateKey.Replace("0x", "", StringComparison.Ordinal)),
            Auth.ApiKeys.Hash(ConsortiumFixture.WriteKey),
        ];
        Assert.True(lines.Count > 100, $"only {lines.Count} lines logged");
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, output, StringComparison.OrdinalIgnoreCase));
    }

    private CliParticipant Cli(string member, string home) => new(_nodes[member].Url, ConsortiumFixture.WriteKey, home);

    private static CliResult Ok(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Until the node's index has reached the chain's current head.</summary>
    private async Task SyncedAsync(string member)
    {
        var head = (ulong)(await fixture.Chain.Web3For(0).Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        using var channel = GrpcChannel.ForAddress(_nodes[member].Url);
        var client = new NodeService.NodeServiceClient(channel);
        var read = new Metadata { { ApiKeys.Header, ConsortiumFixture.ReadKey } };
        var info = await Poll.UntilAsync(
            async () => await client.GetNodeInfoAsync(new GetNodeInfoRequest(), read), i => i.Synced.BlockNumber >= head,
            TimeSpan.FromMinutes(1));
        Assert.True(info.Synced.BlockNumber >= head, $"{member} stayed at block {info.Synced.BlockNumber}, head {head}");
    }

    [GeneratedRegex("offshore_ledger_[a-z0-9_]+")]
    private static partial Regex MetricName();
}

/// <summary>A Prometheus text exposition, as samples: name, labels, value.</summary>
internal sealed partial class Samples
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public static Samples Parse(string text)
    {
        var samples = new Samples();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#')) continue;
            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            var labels = LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            samples._samples.Add((m.Groups["name"].Value, labels, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    /// <summary>The sum over the samples of <paramref name="name"/> carrying these labels (0 when the series has none).</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        Assert.True(Has(name), $"no metric {name} in the scrape");
        return _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);
    }

    public string Label(string name, string label) => _samples.First(s => s.Name == name && s.Labels.ContainsKey(label)).Labels[label];

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();
}
