using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;

namespace OffshoreLedger.Node.Tests;

/// <summary>The README's run command: the development consortium as separate processes, persistent between runs.</summary>
public sealed class DevnetCommandTests
{
    private sealed record DevnetNodeEntry(string Name, string Role, string Address, string Url, string WriteApiKey, string ReadApiKey);

    private sealed record DevnetEntries(string ContractAddress, List<DevnetNodeEntry> Nodes);

    [Fact]
    public async Task Devnet_serves_five_enrolled_nodes_stops_on_sigint_and_keeps_its_data_for_the_next_run()
    {
        var data = Directory.CreateTempSubdirectory("offshore-devnet-").FullName;
        var chainPort = FreePorts(1);
        var basePort = FreePorts(5);
        var key = ByteString.CopyFrom(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        DevnetEntries first;

        await using (var devnet = await DevnetRun.StartAsync(data, chainPort, basePort))
        {
            first = JsonSerializer.Deserialize<DevnetEntries>(File.ReadAllText(Path.Combine(data, "devnet.json")))!;
            Assert.Equal(["bank A", "bank B", "port", "trader", "auditor"], first.Nodes.Select(n => n.Name));
            Assert.Equal(5, first.Nodes.Select(n => n.Url).Distinct().Count());
            // Each node's folder configures the offshore CLI for it.
            var traderCli = JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "trader", "cli.json"))).RootElement;
            Assert.Equal(first.Nodes.Single(n => n.Name == "trader").Url, traderCli.GetProperty("node").GetString());
            Assert.True(File.Exists(traderCli.GetProperty("consortiumSecretFile").GetString()));
            foreach (var node in first.Nodes)
            {
                using var client = new LedgerClient(new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = node.ReadApiKey });
                var info = await client.GetNodeInfoAsync();
                Assert.True(info.ActiveMember, node.Name);
                Assert.Equal(node.Address, info.Address, ignoreCase: true);
                Assert.Equal(first.ContractAddress, info.ContractAddress, ignoreCase: true);
            }
            var traderEntry = first.Nodes.Single(n => n.Name == "trader");
            using var trader = new LedgerClient(new LedgerClientOptions { Address = new Uri(traderEntry.Url), ApiKey = traderEntry.WriteApiKey });
            await trader.RegisterTitleAsync(new RegisterTitleRequest
            {
                Holder = traderEntry.Address, LotKey = ByteString.CopyFrom(new byte[31].Append((byte)7).ToArray()), Quantity = 3, Unit = "TNE", Keys = { key },
            });

            Assert.Equal(0, await devnet.InterruptAsync());
        }
        Assert.Empty(ChildProcessesUsing(data));

        await using (var again = await DevnetRun.StartAsync(data, chainPort, basePort))
        {
            var second = JsonSerializer.Deserialize<DevnetEntries>(File.ReadAllText(Path.Combine(data, "devnet.json")))!;
            Assert.Equal(first.ContractAddress, second.ContractAddress);
            var bankEntry = second.Nodes.Single(n => n.Name == "bank A");
            using var bank = new LedgerClient(new LedgerClientOptions { Address = new Uri(bankEntry.Url), ApiKey = bankEntry.ReadApiKey });
            var check = await bank.CheckCollateralAsync(new CheckCollateralRequest { Keys = { key }, Consistency = Consistency.ChainHead });
            Assert.NotEqual(0UL, check.Keys.Single().TitleId);
            Assert.Equal(0, await again.InterruptAsync());
        }
        Assert.Empty(ChildProcessesUsing(data));
    }

    /// <summary>The first of <paramref name="count"/> consecutive loopback ports that are free now.</summary>
    private static int FreePorts(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var start = Random.Shared.Next(20_000, 60_000);
            var listeners = new List<TcpListener>();
            try
            {
                for (var p = start; p < start + count; p++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, p);
                    listener.Start();
                    listeners.Add(listener);
                }
                return start;
            }
            catch (SocketException)
            {
                // Taken: try another block.
            }
            finally
            {
                foreach (var l in listeners) l.Stop();
            }
        }
        throw new InvalidOperationException("No block of free ports found.");
    }

    /// <summary>Processes whose command line names the devnet's data folder (its nodes and its chain).</summary>
    private static List<int> ChildProcessesUsing(string data) =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(pid => { try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains(data, StringComparison.Ordinal); } catch (IOException) { return false; } catch (UnauthorizedAccessException) { return false; } })];

    /// <summary>The devnet command in its own process, as a newcomer runs it.</summary>
    private sealed class DevnetRun : IAsyncDisposable
    {
        private readonly Process _process;

        private DevnetRun(Process process) => _process = process;

        public static async Task<DevnetRun> StartAsync(string data, int chainPort, int basePort)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "OffshoreLedger.Node.dll"), "devnet", "--data", data, "--chain-port", chainPort.ToString(), "--base-port", basePort.ToString() })
            {
                start.ArgumentList.Add(arg);
            }
            var process = Process.Start(start)!;
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var lines = new List<string>();
            void Read(string? line)
            {
                if (line is null) return;
                lock (lines) lines.Add(line);
                if (line.StartsWith("Press Ctrl-C", StringComparison.Ordinal)) ready.TrySetResult();
            }
            process.OutputDataReceived += (_, e) => Read(e.Data);
            process.ErrorDataReceived += (_, e) => Read(e.Data);
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("devnet exited: " + string.Join('\n', lines)));
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var run = new DevnetRun(process);
            try
            {
                await ready.Task.WaitAsync(TimeSpan.FromSeconds(120));
            }
            catch
            {
                await run.DisposeAsync();
                throw;
            }
            return run;
        }

        /// <summary>Ctrl-C, as a person would press it; returns the exit code.</summary>
        public async Task<int> InterruptAsync()
        {
            Process.Start("kill", ["-INT", _process.Id.ToString()])!.WaitForExit();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
