using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using Nethereum.Util;
using Newtonsoft.Json.Linq;
using OffshoreLedger.Contracts;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Benchmarks;

/// <summary>What a measurement ran on and with, so a reader can tell whether two reports are comparable.</summary>
public sealed record BenchmarkEnvironment(
    string Machine,
    string Runtime,
    string Solc,
    string Bytecode,
    string Anvil,
    string Hardfork,
    string Commit,
    DateTimeOffset Date)
{
    public static async Task<BenchmarkEnvironment> CaptureAsync(AnvilChain chain, CancellationToken cancellationToken)
    {
        var artifact = ContractArtifact.OffshoreLedger;
        var bytecodeHash = Sha3Keccack.Current.CalculateHash(artifact.Bytecode.HexToByteArray()).ToHex(true);
        return new BenchmarkEnvironment(
            Machine: $"{Environment.ProcessorCount} cores (nproc), {CpuModel()}, {MemoryGib()} GiB RAM, {RuntimeInformation.OSDescription}",
            Runtime: RuntimeInformation.FrameworkDescription,
            Solc: artifact.Compiler,
            Bytecode: $"keccak {bytecodeHash[..18]}…, {artifact.RuntimeSize:N0} bytes runtime",
            Anvil: await AnvilVersionAsync(cancellationToken),
            Hardfork: await HardforkAsync(chain),
            Commit: await CommitAsync(cancellationToken),
            Date: DateTimeOffset.UtcNow);
    }

    /// <summary>The repository this tool was built from; reports are written into it.</summary>
    public static string RepositoryRoot =>
        typeof(BenchmarkEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OffshoreLedger.RepositoryRoot")?.Value
        ?? throw new InvalidOperationException("The repository root was not recorded at build time.");

    private static string CpuModel() =>
        ReadProcLine("/proc/cpuinfo", "model name") is { } line ? line.Split(':', 2)[1].Trim() : "CPU model unknown";

    private static string MemoryGib()
    {
        // "MemTotal:       24589312 kB"
        var line = ReadProcLine("/proc/meminfo", "MemTotal");
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
        return long.TryParse(kib, out var value) ? (value / 1024.0 / 1024.0).ToString("0.0") : "?";
    }

    private static string? ReadProcLine(string path, string prefix) =>
        File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) : null;

    private static async Task<string> AnvilVersionAsync(CancellationToken cancellationToken)
    {
        var output = await RunAsync(AnvilExecutable.Locate(), ["--version"], cancellationToken);
        // "anvil Version: 1.7.1" then "Commit SHA: 4072e48…"
        var lines = output?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var version = lines.FirstOrDefault(
            l => l.StartsWith("anvil Version:", StringComparison.Ordinal))?["anvil Version:".Length..].Trim();
        var commit = lines.FirstOrDefault(l => l.StartsWith("Commit SHA:", StringComparison.Ordinal))?["Commit SHA:".Length..].Trim();
        return version is null ? "unknown" : commit is null ? version : $"{version} ({commit[..Math.Min(10, commit.Length)]})";
    }

    /// <summary>The gas schedule is the chain's hardfork, not solc's EVM target: anvil reports it in anvil_nodeInfo.</summary>
    private static async Task<string> HardforkAsync(AnvilChain chain)
    {
        var info = await new RpcClient(new Uri(chain.RpcUrl)).SendRequestAsync<JObject>("anvil_nodeInfo");
        return info.Value<string>("hardFork") ?? "unknown";
    }

    /// <summary>
    /// HEAD's short hash, flagged when the measured code (contracts, node, SDK) differs from it: the working tree's is what ran.
    /// </summary>
    private static async Task<string> CommitAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryRoot;
        var head = (await RunAsync("git", ["-C", root, "rev-parse", "--short", "HEAD"], cancellationToken))?.Trim();
        if (string.IsNullOrEmpty(head)) return "unknown (not a git checkout)";
        // Read-only: diff-index compares without refreshing or writing the index.
        var changed = await RunAsync(
            "git", ["-C", root, "diff-index", "--name-only", "HEAD", "--", "contracts", "node", "client-sdk"], cancellationToken);
        var folders = changed?.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split('/')[0]).Distinct().ToList() ?? [];
        return folders.Count == 0 ? head : $"{head} + uncommitted changes in {string.Join(", ", folders)}";
    }

    /// <summary>A tool's standard output, or null if it cannot be run or fails.</summary>
    private static async Task<string?> RunAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0 ? await output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }
}
