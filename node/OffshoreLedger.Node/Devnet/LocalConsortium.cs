using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Hosting;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Transport;

namespace OffshoreLedger.Node.Devnet;

/// <summary>How to run the development consortium.</summary>
/// <param name="DataDirectory">Where the chain state and every node's data live; kept between runs.</param>
/// <param name="Reset">Start from an empty chain and fresh nodes.</param>
/// <param name="ChainPort">The chain's JSON-RPC port on loopback; 0 lets the system choose one (the bound URL is reported).</param>
/// <param name="BasePort">
/// The first node's gRPC port; the others follow. 0 lets each node bind a port the system chooses: nothing probes a port
/// and hands it on. Either way, the URLs each node actually bound are printed and written to <c>devnet.json</c> and <c>cli.json</c>.
/// </param>
public sealed record LocalConsortiumOptions(string DataDirectory, bool Reset, int ChainPort, int BasePort);

/// <summary>
/// One node of the development consortium as written to <c>devnet.json</c>: where it is (the URL it bound at its last
/// start), and the file holding its API keys (never the keys themselves).
/// </summary>
public sealed record DevnetNode(string Name, string Role, string Address, string Url, string ApiKeysFile);

/// <summary>
/// The development consortium: one local chain and six nodes in separate processes (bank A, bank B, port,
/// trader, auditor, and the carrier that issues the trader's titles, issue 14), each with its own encrypted keystore, RocksDB directory,
/// gRPC port, API keys and TLS certificate from a development CA, enrolled through governance. The chain's state and the nodes' data
/// persist between runs unless reset. Every secret is in a file of its own, readable by its owner only.
/// </summary>
public static partial class LocalConsortium
{
    /// <summary>The participants that get a node, by <see cref="DevConsortium"/> member name.</summary>
    public static readonly string[] NodeMembers = ["bank A", "bank B", "port", "trader", "auditor", "carrier"];

    /// <summary>
    /// Members whose organisations are consortium admins too (besides the three development admin keys), so two admins
    /// can govern through their own nodes: <c>offshore admin …</c> with those nodes' admin API keys.
    /// </summary>
    public static readonly string[] AdminMembers = ["bank A", "bank B"];

    /// <summary>Development keystores use a light scrypt cost so six nodes start quickly; never for real keys.</summary>
    private const int DevelopmentScryptCost = 4_096;

    /// <summary>
    /// <c>devnet.json</c>: the consortium and its nodes, naming the secret files and the CA's certificate; rewritten at every
    /// start with the chain's and the nodes' bound URLs (<see cref="ChainUrl"/> is absent from files written before it).
    /// </summary>
    private sealed record DevnetFile(
        string ContractAddress, ulong DeploymentBlock, string ConsortiumSecretFile, string CertificateAuthorityFile, List<DevnetNode> Nodes,
        string? ChainUrl = null);

    public static async Task<int> RunAsync(LocalConsortiumOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.DataDirectory);
        if (options.Reset && Directory.Exists(root)) Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        var descriptor = Path.Combine(root, "devnet.json");

        output.WriteLine($"Starting the development chain (state in {Path.Combine(root, "chain")}) ...");
        await using var chain = await AnvilChain.StartAsync(new AnvilOptions
        {
            Port = options.ChainPort,
            WorkDirectory = Path.Combine(root, "chain"),
            StatePath = Path.Combine(root, "chain", "state.json"),
        }, cancellationToken);

        if (File.Exists(descriptor) && IsFromAnOlderVersion(await File.ReadAllTextAsync(descriptor, cancellationToken)))
        {
            output.WriteLine($"{descriptor} is from an older version (secrets inline, no TLS); run again with --reset.");
            return 1;
        }
        var devnet = File.Exists(descriptor)
            ? JsonSerializer.Deserialize<DevnetFile>(await File.ReadAllTextAsync(descriptor, cancellationToken))! : null;
        if (devnet is not null && (await chain.Web3For(0).Eth.GetCode.SendRequestAsync(devnet.ContractAddress)) is "0x" or null)
        {
            output.WriteLine($"The saved chain no longer holds the contract {devnet.ContractAddress}; run again with --reset.");
            return 1;
        }
        if (devnet is null)
        {
            output.WriteLine("Deploying OffshoreLedger and enrolling the members through governance ...");
            devnet = await CreateAsync(chain, root, cancellationToken);
            await File.WriteAllTextAsync(
                descriptor, JsonSerializer.Serialize(devnet, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        }

        using var authority = DevelopmentCertificateAuthority.LoadOrCreate(Path.Combine(root, "ca"), "OffshoreLedger devnet CA");
        var processes = new List<Process>();
        try
        {
            // All at once: a node's start is mostly waiting (its store, the chain), so six start in little more than one's time.
            var starting = devnet.Nodes.Select((node, i) => StartNodeAsync(
                    node with { Url = NodeUrl(options.BasePort, i) }, devnet, chain.RpcUrl, root, authority, output, cancellationToken))
                .ToList();
            try
            {
                await Task.WhenAll(starting);
            }
            finally
            {
                // Those that started are stopped below, whether or not another failed.
                processes.AddRange(starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result.Process));
            }
            var bound = devnet.Nodes.Select((node, i) => node with { Url = starting[i].Result.Url }).ToList();
            // What the nodes and the chain bound, for the CLI and for tools: read these, never guess the ports.
            devnet = devnet with { Nodes = bound, ChainUrl = chain.RpcUrl };
            await File.WriteAllTextAsync(
                descriptor, JsonSerializer.Serialize(devnet, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
            WriteCliConfigurations(devnet, root);
            WriteTable(output, chain, devnet, root);
            output.WriteLine("Press Ctrl-C to stop the nodes and the chain (their data stays; --reset starts afresh).");
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var registration = cancellationToken.Register(() => stopped.TrySetResult());
            var anyExit = Task.WhenAny(processes.Select(p => p.WaitForExitAsync(CancellationToken.None)));
            if (await Task.WhenAny(stopped.Task, anyExit) == anyExit)
            {
                output.WriteLine("A node exited; stopping the others.");
                return 1;
            }
            output.WriteLine("Stopping the nodes and the chain ...");
            return 0;
        }
        finally
        {
            // All at once: each node gets the same grace, so the devnet stops within one grace period, not six in a row.
            await Task.WhenAll(processes.Select(p => StopAsync(p, output)));
            output.WriteLine("Nodes stopped; stopping the chain ...");
            // Then the chain, gracefully (SIGTERM): anvil writes its state on the way out, so the blocks of the last second
            // are there at the next start too (disposing alone would kill it between two of its one-second saves).
            await chain.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Node <paramref name="index"/>'s URL to bind: <paramref name="basePort"/> + index, or port 0 (the system's choice) when the base is
    /// 0.
    /// </summary>
    private static string NodeUrl(int basePort, int index) => $"https://127.0.0.1:{(basePort == 0 ? 0 : basePort + index)}";

    private static async Task<DevnetFile> CreateAsync(AnvilChain chain, string root, CancellationToken cancellationToken)
    {
        var consortium = await DevConsortium.DeployAsync(chain, cancellationToken: cancellationToken);
        await AddMemberAdminsAsync(consortium, cancellationToken);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var secretFile = Path.Combine(root, "consortium-secret");
        SecretFile.Write(secretFile, secret);
        var nodes = new List<DevnetNode>();
        for (var i = 0; i < NodeMembers.Length; i++)
        {
            var member = consortium.Member(NodeMembers[i]);
            var directory = NodeDirectory(root, member.Name);
            var identity = Path.Combine(directory, "identity");
            Directory.CreateDirectory(identity);
            var passphrase = Secret();
            SecretFile.Write(Path.Combine(identity, "passphrase"), passphrase);
            OrganisationIdentity.WriteKeystore(
                Path.Combine(identity, "keystore.json"), chain.Accounts[member.Account].PrivateKey, passphrase, DevelopmentScryptCost);
            SecretFile.Write(Path.Combine(identity, "consortium-secret"), secret);
            var apiKeys = Path.Combine(directory, DevnetApiKeys.FileName);
            new DevnetApiKeys(Secret(), Secret(), Secret()).Save(apiKeys);
            // The URL is the one bound at each start (see NodeUrl).
            nodes.Add(new DevnetNode(member.Name, member.RoleName, member.Address, Url: "", apiKeys));
        }
        return new DevnetFile(consortium.ContractAddress, consortium.DeploymentBlock, secretFile,
            Path.Combine(root, "ca", DevelopmentCertificateAuthority.CertificateFileName), nodes);
    }

    /// <summary>
    /// Makes <see cref="AdminMembers"/> admins as any admin change is made: admin 1 proposes, admin 2's approval executes it.
    /// </summary>
    private static async Task AddMemberAdminsAsync(DevConsortium consortium, CancellationToken cancellationToken)
    {
        var proposer = consortium.LedgerAs(consortium.Admins[0]);
        var approver = consortium.LedgerAs(consortium.Admins[1]);
        foreach (var name in AdminMembers)
        {
            var proposed = await proposer.SendAsync(
                new ProposeAdminAdditionFunction { Admin = consortium.Member(name).Address }, cancellationToken);
            var proposalId = LedgerEvents.Decode(proposed).Select(e => e.Event).OfType<ProposalCreatedEvent>().Single().ProposalId;
            var approved = await approver.SendAsync(new ApproveFunction { ProposalId = proposalId }, cancellationToken);
            if (!LedgerEvents.Decode(approved).Any(e => e.Event is AdminAddedEvent))
            {
                throw new InvalidOperationException($"Approving {name} as an admin did not add it.");
            }
        }
    }

    /// <summary>
    /// One <c>cli.json</c> per node for the <c>offshore</c> command (<c>--config .devnet/trader/cli.json</c>): its URL,
    /// its write API key, the consortium secret file and the development CA's certificate, so the walkthrough needs
    /// nothing copied by hand. It holds a key: 0600.
    /// </summary>
    private static void WriteCliConfigurations(DevnetFile devnet, string root)
    {
        foreach (var node in devnet.Nodes)
        {
            var directory = NodeDirectory(root, node.Name);
            var configuration = new
            {
                node = node.Url,
                apiKey = DevnetApiKeys.Load(node.ApiKeysFile).Write,
                consortiumSecretFile = Path.Combine(directory, "identity", "consortium-secret"),
                caFile = devnet.CertificateAuthorityFile,
            };
            SecretFile.Write(
                Path.Combine(directory, "cli.json"),
                JsonSerializer.Serialize(configuration, new JsonSerializerOptions { WriteIndented = true }));
        }
    }

    /// <summary>Starts <paramref name="node"/> on its <see cref="DevnetNode.Url"/> and returns the process and the URL it bound.</summary>
    private static async Task<(Process Process, string Url)> StartNodeAsync(
        DevnetNode node, DevnetFile devnet, string rpcUrl, string root, DevelopmentCertificateAuthority authority, TextWriter output,
        CancellationToken cancellationToken)
    {
        var directory = NodeDirectory(root, node.Name);
        var identity = Path.Combine(directory, "identity");
        var keys = DevnetApiKeys.Load(node.ApiKeysFile);
        var (certificate, key) = authority.IssueServerCertificate(
            Path.Combine(directory, "tls"), node.Name.Replace(' ', '-').ToLowerInvariant());
        var settings = new NodeSettings
        {
            Url = node.Url,
            RpcUrl = rpcUrl,
            ContractAddress = devnet.ContractAddress,
            DeploymentBlock = devnet.DeploymentBlock,
            StoreDirectory = Path.Combine(directory, "store"),
            KeystoreFile = Path.Combine(identity, "keystore.json"),
            PassphraseFile = Path.Combine(identity, "passphrase"),
            ConsortiumSecretFile = Path.Combine(identity, "consortium-secret"),
            ApiKeys = [new("devnet-write", keys.Write, Scopes.Write), new("devnet-read", keys.Read, Scopes.Read),
                new("devnet-admin", keys.Admin, Scopes.Admin)],
            Counterparties = SampleCounterparties.For(devnet.Nodes.Single(n => n.Name == "trader").Address),
            TlsCertificateFile = certificate,
            TlsKeyFile = key,
        };
        var start = NodeCommand(directory);
        foreach (var argument in settings.ToArguments()) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");

        var process = Process.Start(start) ?? throw new InvalidOperationException($"The {node.Name} node did not start.");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Relay(string? line)
        {
            if (line is null) return;
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
            else if (!line.StartsWith("      ", StringComparison.Ordinal)
                && !line.StartsWith("info:", StringComparison.Ordinal)) output.WriteLine($"  [{node.Name}] {line}");
        }
        process.OutputDataReceived += (_, e) => Relay(e.Data);
        process.ErrorDataReceived += (_, e) => Relay(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
            listening.TrySetException(
                new InvalidOperationException($"The {node.Name} node exited with code {process.ExitCode} while starting."));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return (process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken));
        }
        catch
        {
            await StopAsync(process, output);
            throw;
        }
    }

    /// <summary>This node program again, as a child process: under <c>dotnet</c> when run that way, else its own executable.</summary>
    private static ProcessStartInfo NodeCommand(string workingDirectory)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(LocalConsortium).Assembly.Location);
        return start;
    }

    /// <summary>Asks a node to stop (SIGTERM, a graceful shutdown), and kills it if it does not within ten seconds.</summary>
    private static async Task StopAsync(Process process, TextWriter output)
    {
        try
        {
            if (process.HasExited) return;
            Process.Start("kill", ["-TERM", process.Id.ToString()])?.WaitForExit();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                output.WriteLine($"  A node (process {process.Id}) did not stop within 10 s of SIGTERM; killed.");
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static void WriteTable(TextWriter output, AnvilChain chain, DevnetFile devnet, string root)
    {
        output.WriteLine();
        output.WriteLine("OffshoreLedger development consortium");
        output.WriteLine($"  Chain             {chain.RpcUrl} (chain id {chain.ChainId})");
        output.WriteLine($"  Contract          {devnet.ContractAddress} (deployed in block {devnet.DeploymentBlock})");
        output.WriteLine(
            $"  Data              {root} (devnet.json names every node and its key file; <node>/cli.json configures the offshore CLI)");
        output.WriteLine(
            $"  TLS               every node serves TLS with a certificate from the development CA {devnet.CertificateAuthorityFile}");
        output.WriteLine();
        output.WriteLine($"  {"Node",-8} {"Role",-8} {"gRPC",-25} {"Write API key",-34} {"Read API key",-34} Address");
        foreach (var n in devnet.Nodes)
        {
            var keys = DevnetApiKeys.Load(n.ApiKeysFile);
            output.WriteLine($"  {n.Name,-8} {n.Role,-8} {n.Url,-25} {keys.Write,-34} {keys.Read,-34} {n.Address}");
        }
        output.WriteLine();
        output.WriteLine("  Accounts are anvil's PUBLIC development keys: never use them on a real chain.");
        output.WriteLine();
    }

    /// <summary>A devnet.json written before secrets moved to files holds the consortium secret inline.</summary>
    private static bool IsFromAnOlderVersion(string json) =>
        JsonDocument.Parse(json).RootElement.TryGetProperty("ConsortiumSecret", out _);

    private static string NodeDirectory(string root, string name) => Path.Combine(root, name.Replace(' ', '-').ToLowerInvariant());

    private static string Secret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"Now listening on: (https://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
