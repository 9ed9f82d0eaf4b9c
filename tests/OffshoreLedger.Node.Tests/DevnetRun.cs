using System.Diagnostics;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// The devnet command in its own process, as a newcomer runs it, with <c>--chain-port 0 --base-port 0</c>: the chain and
/// every node bind ports the system chooses, and the URLs they bound are read from <c>devnet.json</c>, never guessed.
/// Started with SIGINT ignored, the harsher of the ways a test runner may start it.
/// </summary>
public sealed class DevnetRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines;

    private DevnetRun(Process process, List<string> lines)
    {
        _process = process;
        _lines = lines;
    }

    /// <summary>Everything the devnet command printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_lines) return string.Join('\n', _lines);
        }
    }

    public static async Task<DevnetRun> StartAsync(string data)
    {
        // Started with SIGINT ignored, as a script's background job starts it (and a CI runner may start the tests so): Ctrl-C
        // must stop the devnet all the same. `trap '' INT` sets the ignore; exec keeps it for the devnet.
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "-c", "trap '' INT; exec \"$0\" \"$@\"",
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            Path.Combine(AppContext.BaseDirectory, "OffshoreLedger.Node.dll"), "devnet", "--data", data,
            "--chain-port", "0", "--base-port", "0" })
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
        var run = new DevnetRun(process, lines);
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
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The devnet did not exit within 60 s of Ctrl-C; its output:\n{Output}", e);
        }
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

    /// <summary>Processes whose command line names the devnet's data folder (its nodes and its chain).</summary>
    public static List<int> ChildProcessesUsing(string data) =>
        [.. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(pid =>
                { try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains(data, StringComparison.Ordinal); } catch (IOException)
                { return false; } catch (UnauthorizedAccessException) { return false; } })];
}
