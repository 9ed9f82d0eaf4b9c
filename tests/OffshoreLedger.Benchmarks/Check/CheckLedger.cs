using System.Diagnostics;
using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Devnet;
using OffshoreLedger.Node.Hosting;
using OffshoreLedger.Node.Index;

namespace OffshoreLedger.Benchmarks.Check;

/// <summary>
/// The ledger the checks ask about: a trader's node on a fresh development chain (started by the node itself), titles
/// registered through its API, and some of them pledged through a second in-process node serving as bank A.
/// </summary>
public sealed class CheckLedger : IAsyncDisposable
{
    public const int TitleCount = 200;
    public const int KeysPerTitle = 5;
    public const int PledgedTitleCount = 50;
    public const int TitlesPerPledge = 10;
    private const int RegistrationsInFlight = 16;

    private readonly List<WebApplication> _apps = [];
    private readonly List<string> _directories = [];
    private readonly List<GrpcChannel> _channels = [];
    private DevnetBootstrap? _devnet;

    private CheckLedger()
    {
    }

    public DevnetBootstrap Devnet => _devnet!;

    /// <summary>The trader node's gRPC address (h2c), which answers the checks.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Every registered key, in registration order.</summary>
    public IReadOnlyList<ByteString> Keys { get; private set; } = [];

    /// <summary>The keys whose titles bank A pledged.</summary>
    public IReadOnlySet<ByteString> PledgedKeys { get; private set; } = new HashSet<ByteString>();

    public TimeSpan RegistrationTime { get; private set; }
    public TimeSpan PledgeTime { get; private set; }

    /// <summary>The read-scoped API key header a bank's checking service would present.</summary>
    public Metadata ReadHeaders => new() { { ApiKeys.Header, Devnet.ReadApiKey } };

    /// <summary>
    /// Starts the ledger; <paramref name="telemetry"/> turns the checked node's metrics and trace spans on or off (the overhead
    /// comparison).
    /// </summary>
    public static async Task<CheckLedger> StartAsync(
        TextWriter log, CancellationToken cancellationToken, CheckTelemetry telemetry = CheckTelemetry.On)
    {
        var ledger = new CheckLedger();
        try
        {
            await ledger.SetUpAsync(log, telemetry, cancellationToken);
            return ledger;
        }
        catch
        {
            await ledger.DisposeAsync();
            throw;
        }
    }

    private async Task SetUpAsync(TextWriter log, CheckTelemetry telemetry, CancellationToken cancellationToken)
    {
        log.WriteLine("Starting the carrier's node on a fresh development chain (it issues the titles, issue 14)…");
        var (trader, devnet) = await LedgerNodeApp.BuildAsync(
            [NodeCommandLine.DevFlag], new Dictionary<string, string?>(BenchmarkLimits.Lifted)
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Node:Management:Url"] = "http://127.0.0.1:0",
            ["Devnet:Member"] = "carrier",
            // On: metrics and trace spans recorded (spans created and dropped, no exporter), as a node exporting them would.
            ["Node:Telemetry:Enabled"] = telemetry == CheckTelemetry.Off ? "false" : "true",
            ["Node:Telemetry:Tracing"] = telemetry == CheckTelemetry.On ? "true" : "false",
            ["Chain:PollIntervalMilliseconds"] = "50",
            ["Logging:LogLevel:Default"] = "Warning",
        }, cancellationToken);
        _devnet = devnet;
        _apps.Add(trader);
        if (devnet is null) throw new InvalidOperationException(
            "Chain:RpcUrl is configured (environment?); the check benchmark needs its own development chain.");
        _directories.Add(devnet.DataDirectory);
        await trader.StartAsync(cancellationToken);
        Url = AddressOf(trader);

        var traderTitles = new TitleService.TitleServiceClient(Channel(Url));
        var lot = await BenchmarkIssuance.AttestLotAsync(devnet.Chain, devnet.Consortium, cancellationToken);
        var write = new Metadata { { ApiKeys.Header, devnet.WriteApiKey } };
        log.WriteLine(
            $"Registering {TitleCount} titles of {KeysPerTitle} keys each through RegisterTitle ({RegistrationsInFlight} in flight)…");
        var titles = new (ulong Id, ByteString[] Keys)[TitleCount];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, TitleCount),
            new ParallelOptions { MaxDegreeOfParallelism = RegistrationsInFlight, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var keys = Enumerable.Range(0, KeysPerTitle).Select(_ => RandomKey()).ToArray();
                var request = new RegisterTitleRequest
                {
                    RequestId = Guid.NewGuid().ToString(), Holder = devnet.Self.Address, LotKey = lot, Quantity = 100, Unit = "TNE",
                    Keys = { keys },
                    CarrierCode = BenchmarkIssuance.CarrierCode,
                };
                var response = await traderTitles.RegisterTitleAsync(request, write, cancellationToken: ct);
                if (response.Receipt.State != WriteState.Confirmed) throw new InvalidOperationException(
                    $"RegisterTitle ended {response.Receipt.State}.");
                titles[i] = (response.TitleId, keys);
            });
        RegistrationTime = clock.Elapsed;
        Keys = [.. titles.SelectMany(t => t.Keys)];

        log.WriteLine($"Pledging {PledgedTitleCount} titles through bank A's node ({TitlesPerPledge} titles per pledge)…");
        var bank = await StartBankAsync(devnet, cancellationToken);
        var bankTitles = new TitleService.TitleServiceClient(Channel(AddressOf(bank.App)));
        var bankWrite = new Metadata { { ApiKeys.Header, bank.WriteKey } };
        clock.Restart();
        var pledged = titles.Take(PledgedTitleCount).ToList();
        foreach (var chunk in pledged.Chunk(TitlesPerPledge))
        {
            // The trader's node signs its consent to each pledge, as the holder does before a bank finances.
            var consent = (await traderTitles.SignPledgeConsentAsync(new SignPledgeConsentRequest
            {
                Bank = devnet.Consortium.Member("bank A").Address, TitleIds = { chunk.Select(t => t.Id) },
                ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(90)),
            }, write, cancellationToken: cancellationToken)).Consent;
            await bankTitles.PledgeAsync(new PledgeRequest
            {
                RequestId = Guid.NewGuid().ToString(), FinancingReference = "BENCH-" + Guid.NewGuid(), Consent = consent,
            }, bankWrite, cancellationToken: cancellationToken);
        }
        PledgeTime = clock.Elapsed;
        PledgedKeys = pledged.SelectMany(t => t.Keys).ToHashSet();

        // The pledges were written by the other node: wait until the trader's index has applied the chain's head.
        var head = (ulong)(await devnet.Chain.Web3For(0).Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await trader.Services.GetRequiredService<LedgerIndex>().WaitForBlockAsync(head, timeout.Token);
        await VerifyAsync(traderTitles, cancellationToken);
    }

    /// <summary>Every key is answered as registered, live, and locked exactly when its title was pledged.</summary>
    private async Task VerifyAsync(TitleService.TitleServiceClient titles, CancellationToken cancellationToken)
    {
        foreach (var chunk in Keys.Chunk(100))
        {
            var response = await titles.CheckCollateralAsync(
                new CheckCollateralRequest { Keys = { chunk }, Consistency = Consistency.Index }, ReadHeaders,
                cancellationToken: cancellationToken);
            foreach (var standing in response.Keys)
            {
                var pledged = PledgedKeys.Contains(standing.Key.Value);
                if (standing.TitleId == 0 || standing.TitleStatus != Api.V1.TitleStatus.Live || (standing.Lock is not null) != pledged)
                {
                    throw new InvalidOperationException(
                        $"The index answers key {Convert.ToHexString(standing.Key.Value.Span)} as {standing}; expected a live title, " +
                        $"pledged={pledged}.");
                }
            }
        }
    }

    private async Task<(WebApplication App, string WriteKey)> StartBankAsync(DevnetBootstrap devnet, CancellationToken cancellationToken)
    {
        var member = devnet.Consortium.Member("bank A");
        var directory = Directory.CreateTempSubdirectory("offshore-bench-bank-").FullName;
        _directories.Add(directory);
        // One consortium, one key secret: the bank derives the same collateral keys as the trader.
        var identity = NodeIdentity.Write(directory, devnet.Chain.Accounts[member.Account].PrivateKey,
            File.ReadAllText(NodeIdentity.In(devnet.DataDirectory).ConsortiumSecretFile));

        var writeKey = Secret();
        var settings =
            (identity.Settings(devnet.Chain.RpcUrl, devnet.Consortium.ContractAddress, devnet.Consortium.DeploymentBlock, directory,
            [new("bench-write", writeKey, Scopes.Write)]) with { PollIntervalMilliseconds = 50 }).ToConfiguration();
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in BenchmarkLimits.Lifted) settings[key] = value;
        var (app, _) = await InProcessNode.StartAsync(settings, cancellationToken);
        _apps.Add(app);
        return (app, writeKey);
    }

    /// <summary>Stops bank A's node so that only the trader's node runs while checks are measured.</summary>
    public async Task StopBankAsync()
    {
        while (_apps.Count > 1)
        {
            var bank = _apps[^1];
            _apps.RemoveAt(_apps.Count - 1);
            await InProcessNode.StopAsync(bank);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels) channel.Dispose();
        for (var i = _apps.Count - 1; i >= 0; i--) await InProcessNode.StopAsync(_apps[i]);
        _apps.Clear();
        if (_devnet is not null) await _devnet.DisposeAsync();
        foreach (var directory in _directories) TemporaryDirectory.Delete(directory);
    }

    /// <summary>A channel for set-up calls; the measured calls use their own (see <see cref="GrpcCheckClient"/>).</summary>
    private GrpcChannel Channel(string url)
    {
        var channel = GrpcChannel.ForAddress(url);
        _channels.Add(channel);
        return channel;
    }

    private static string AddressOf(WebApplication app) => InProcessNode.UrlOf(app);

    private static ByteString RandomKey() => ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32));

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
}

/// <summary>What the checked node records: metrics and trace spans, metrics alone, or neither.</summary>
public enum CheckTelemetry
{
    On,
    MetricsOnly,
    Off,
}
