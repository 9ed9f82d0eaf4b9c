using System.Diagnostics;
using System.Text.RegularExpressions;
using OffshoreLedger.Node.Hosting;

namespace OffshoreLedger.Benchmarks.Memory;

/// <summary>Memory of a process as Linux accounts it, from <c>/proc/PID/status</c>, in KiB.</summary>
public sealed record ProcessMemory(long VmRss, long VmHwm, long RssAnon, long RssFile)
{
    public static ProcessMemory Of(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        long Field(string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line
                ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
                : 0;
        return new ProcessMemory(Field("VmRSS"), Field("VmHWM"), Field("RssAnon"), Field("RssFile"));
    }

    public double RssMib => VmRss / 1024.0;
    public double PeakMib => VmHwm / 1024.0;
    public double AnonMib => RssAnon / 1024.0;
    public double FileMib => RssFile / 1024.0;
}

/// <summary>
/// The built node (<c>OffshoreLedger.Node.dll</c> beside this tool) in a process of its own, configured on the command line
/// as an operator would, so its memory is its own. Disposing kills it.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeProcess(Process process, string url)
    {
        _process = process;
        Url = url;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string Url { get; }
    public int Id => _process.Id;

    /// <summary>Starts the node with <paramref name="arguments"/> (<c>--Section:Key=Value</c>, e.g. <see cref="NodeSettings.ToArguments"/>).</summary>
    public static async Task<NodeProcess> StartAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OffshoreLedger.Node.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var argument in BenchmarkLimits.Arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recent = new Queue<string>();
        void Collect(string? line)
        {
            if (line is null) return;
            lock (recent)
            {
                recent.Enqueue(line);
                if (recent.Count > 50) recent.Dequeue();
            }
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The node exited before listening:{Environment.NewLine}{string.Join(Environment.NewLine, recent)}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new NodeProcess(process, await listening.Task.WaitAsync(timeout, cancellationToken));
        }
        catch
        {
            Kill(process);
            process.Dispose();
            throw;
        }
    }

    public ProcessMemory Memory() => ProcessMemory.Of(_process.Id);

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
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

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
