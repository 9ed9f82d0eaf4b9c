using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using OffshoreLedger.Contracts;

namespace OffshoreLedger.Node.Devnet;

/// <summary>How to start a local development chain.</summary>
public sealed record AnvilOptions
{
    /// <summary>Funded development accounts to create (anvil's public mnemonic; development only).</summary>
    public int Accounts { get; init; } = 10;

    /// <summary>Block gas limit; raised above mainnet's so large pledge batches fit in a block.</summary>
    public long GasLimit { get; init; } = 100_000_000;

    public int ChainId { get; init; } = 31337;

    /// <summary>Loopback port, or 0 to let the OS choose a free one.</summary>
    public int Port { get; init; }

    /// <summary>Where to keep anvil's config output; a fresh temporary folder when null.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>
    /// A file the chain's state is loaded from at start and saved to every second (so it survives even a kill),
    /// for a development chain that persists between runs; null for a fresh chain.
    /// </summary>
    public string? StatePath { get; init; }

    /// <summary>
    /// How many recent blocks <c>anvil_reorg</c> and <c>anvil_rollback</c> may replace (their states stay in memory);
    /// 0 keeps no history, which keeps a long-running chain fast and small but leaves those two calls unavailable.
    /// </summary>
    public int RewindableBlocks { get; init; }

    /// <summary>
    /// Seconds between blocks (<c>--block-time</c>), as on a production chain; 0 mines a block per transaction (automine).
    /// </summary>
    public int BlockTimeSeconds { get; init; }
}

/// <summary>A development account: address and private key as anvil published them (public, development only).</summary>
public sealed record DevAccount(string Address, string PrivateKey);

/// <summary>
/// A local EVM chain (anvil from the pinned npm package) in a child process, on a free loopback port.
/// Disposing stops it; so does this process's exit.
/// </summary>
public sealed partial class AnvilChain : IDevChain, IAsyncDisposable
{
    private readonly AnvilOptions _options;
    private readonly string _configPath;
    private readonly bool _ownsWorkDirectory;
    private Process _process;

    private AnvilChain(
        Process process, string rpcUrl, IReadOnlyList<DevAccount> accounts, AnvilOptions options, string configPath, bool ownsWorkDirectory)
    {
        _process = process;
        RpcUrl = rpcUrl;
        ChainId = options.ChainId;
        Accounts = accounts;
        _options = options;
        _configPath = configPath;
        _ownsWorkDirectory = ownsWorkDirectory;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string RpcUrl { get; }
    public int ChainId { get; }
    public IReadOnlyList<DevAccount> Accounts { get; }

    /// <summary>The anvil process, for benchmarks that account for the chain's own CPU time.</summary>
    public int ProcessId => _process.Id;

    /// <summary>A Web3 that signs as development account <paramref name="index"/>.</summary>
    public IWeb3 Web3For(int index) => Web3For(Accounts[index]);

    public IWeb3 Web3For(DevAccount account) => LedgerWeb3.Create(new Account(account.PrivateKey, ChainId), RpcUrl);

    public static async Task<AnvilChain> StartAsync(AnvilOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AnvilOptions();
        var ownsWorkDirectory = options.WorkDirectory is null;
        var workDirectory = options.WorkDirectory ?? Directory.CreateTempSubdirectory("offshore-anvil-").FullName;
        Directory.CreateDirectory(workDirectory);
        var configPath = Path.Combine(workDirectory, "anvil-accounts.json");
        var (process, port) = await LaunchAsync(options, configPath, cancellationToken);
        return new AnvilChain(
            process, $"http://127.0.0.1:{port}", ReadAccounts(configPath), options with { Port = port, WorkDirectory = workDirectory },
            configPath,
            ownsWorkDirectory);
    }

    /// <summary>
    /// Stops the chain as an operator would (SIGTERM), so that anvil writes its state to <see cref="AnvilOptions.StatePath"/>
    /// on the way out; <see cref="StartAgainAsync"/> brings it back. Until then the RPC endpoint refuses connections.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            if (term is not null) await term.WaitForExitAsync(cancellationToken);
        }
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            Kill(_process);
            await _process.WaitForExitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Starts a stopped chain again on the same port, from the state it saved: same blocks, same accounts, same contracts.
    /// </summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (_options.StatePath is null) throw new InvalidOperationException(
            "Only a chain with a StatePath can start again where it stopped.");
        if (!_process.HasExited) throw new InvalidOperationException("The chain is running; stop it first.");
        var (process, _) = await LaunchAsync(_options, _configPath, cancellationToken);
        _process.Dispose();
        _process = process;
    }

    private static async Task<(Process Process, int Port)> LaunchAsync(
        AnvilOptions options, string configPath, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(AnvilExecutable.Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--host", "127.0.0.1", "--port", options.Port.ToString(), "--accounts", options.Accounts.ToString(),
                     "--chain-id", options.ChainId.ToString(), "--gas-limit", options.GasLimit.ToString(), "--config-out", configPath,
                 })
        {
            start.ArgumentList.Add(arg);
        }
        if (options.BlockTimeSeconds > 0)
        {
            start.ArgumentList.Add("--block-time");
            start.ArgumentList.Add(options.BlockTimeSeconds.ToString());
        }
        // The ledger contract is beyond EIP-170's 24,576 bytes; the consortium chain raises the limit (README).
        foreach (var arg in new[] { "--code-size-limit", ContractArtifact.MaxRuntimeSize.ToString() }) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--prune-history");
        if (options.RewindableBlocks > 0) start.ArgumentList.Add(options.RewindableBlocks.ToString());
        if (options.StatePath is { } state)
        {
            foreach (var arg in new[] { "--state", state, "--state-interval", "1" }) start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("anvil did not start");
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recent = new Queue<string>();
        void Collect(string? line)
        {
            if (line is null) return;
            lock (recent)
            {
                recent.Enqueue(line);
                if (recent.Count > 50) recent.Dequeue();
            }
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(int.Parse(m.Groups[1].Value));
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            $"anvil exited with code {process.ExitCode} before listening:{Environment.NewLine}{string.Join(Environment.NewLine, recent)}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            return (process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken));
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Advances the chain's clock and mines a block, for expiry tests.</summary>
    public async Task IncreaseTimeAsync(TimeSpan by)
    {
        var client = new RpcClient(new Uri(RpcUrl));
        await client.SendRequestAsync<object>("evm_increaseTime", null, (long)by.TotalSeconds);
        await client.SendRequestAsync<object>("evm_mine");
    }

    /// <summary>
    /// Records the chain's whole state (<c>evm_snapshot</c>) and returns the snapshot's id, for <see cref="RevertAsync"/>.
    /// </summary>
    public async Task<string> SnapshotAsync() => await new RpcClient(new Uri(RpcUrl)).SendRequestAsync<string>("evm_snapshot");

    /// <summary>
    /// Puts the chain back to snapshot <paramref name="snapshotId"/> (<c>evm_revert</c>): blocks, balances, nonces, contracts
    /// and clock as they were. anvil forgets the snapshot (and any taken after it) on the way, so take another to return again.
    /// </summary>
    public async Task RevertAsync(string snapshotId)
    {
        if (!await new RpcClient(new Uri(RpcUrl)).SendRequestAsync<bool>("evm_revert", null, snapshotId))
        {
            throw new InvalidOperationException($"anvil has no snapshot {snapshotId} to revert to.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        if (_ownsWorkDirectory)
        {
            try { Directory.Delete(_options.WorkDirectory!, recursive: true); }
            catch (IOException) { /* a leftover temp folder is harmless */ }
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Kill(_process);

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    internal static List<DevAccount> ReadAccounts(string configPath)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(configPath));
        var addresses = json.RootElement.GetProperty("available_accounts").EnumerateArray().Select(e => e.GetString()!).ToList();
        var keys = json.RootElement.GetProperty("private_keys").EnumerateArray().Select(e => e.GetString()!).ToList();
        return addresses.Zip(keys, (a, k) => new DevAccount(Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(a), k)).ToList();
    }

    [GeneratedRegex(@"Listening on [0-9.]+:(\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>Finds the anvil binary: <c>OFFSHORELEDGER_ANVIL</c>, else the npm package this clone installed.</summary>
public static class AnvilExecutable
{
    public const string EnvironmentVariable = "OFFSHORELEDGER_ANVIL";

    public static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        var nodeModules = ContractArtifact.BuildTimeNodeModules;
        var candidate = nodeModules is null ? null : Path.Combine(nodeModules, "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
        if (candidate is not null && File.Exists(candidate)) return candidate;
        throw new FileNotFoundException(
            $"anvil not found at '{candidate}'. Build the solution (it runs npm ci in contracts/) or set {EnvironmentVariable}.");
    }
}
