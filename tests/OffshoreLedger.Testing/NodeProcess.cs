using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Testing;

/// <summary>
/// A node in its own operating-system process (the built <c>OffshoreLedger.Node.dll</c> under <c>dotnet</c>), configured on
/// the command line as an operator would: its memory is its own, and a test can kill it with SIGKILL instead of stopping it
/// gracefully. It binds the port its arguments name (port 0: the system's choice) and the URL it reports having bound is
/// <see cref="Url"/>. Disposing kills it, as does the host process's exit.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    private const int KeptLines = 500;

    private readonly Process _process;
    private readonly Func<string> _recent;
    private readonly Func<string> _all;
    private readonly GrpcChannel _channel;
    private bool _disposed;

    private NodeProcess(
        Process process, string url, Func<string> recent, Func<string> all, Task<string> managementUrl, string? certificateAuthorityFile,
        Func<string, GrpcChannel> connect)
    {
        _process = process;
        _recent = recent;
        _all = all;
        ManagementUrl = managementUrl;
        Url = url;
        CertificateAuthorityFile = certificateAuthorityFile;
        _channel = connect(url);
        Titles = new TitleService.TitleServiceClient(_channel);
        Documents = new DocumentService.DocumentServiceClient(_channel);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The URL the node reported it bound ("Now listening on: …").</summary>
    public string Url { get; }

    /// <summary>The process id, for the operating system's view of it (memory, signals).</summary>
    public int Id => _process.Id;

    /// <summary>The CA to trust when the node serves TLS; null for plaintext.</summary>
    public string? CertificateAuthorityFile { get; }

    /// <summary>The channel <see cref="Titles"/> and <see cref="Documents"/> share, for services without a client here.</summary>
    public GrpcChannel Channel => _channel;
    public TitleService.TitleServiceClient Titles { get; }
    public DocumentService.DocumentServiceClient Documents { get; }

    /// <summary>True once the process has ended, by a kill or by a crash.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the node wrote (warnings and errors: its log level), to explain a failure.</summary>
    public string RecentOutput() => _recent();

    /// <summary>Everything the node has written to stdout and stderr so far.</summary>
    public string AllOutput() => _all();

    /// <summary>
    /// The management listener's address, once the node has logged it (give it Node:Management:Url and that log category).
    /// </summary>
    public Task<string> ManagementUrl { get; }

    /// <summary>
    /// Starts the node with <paramref name="arguments"/> (<c>--Section:Key=Value</c>, e.g. <c>NodeSettings.ToArguments()</c>)
    /// and waits until it reports the URL it bound. It logs warnings and up, plus the lifetime's "Now listening on:" line.
    /// </summary>
    /// <param name="arguments">The node's configuration; later arguments win.</param>
    /// <param name="timeout">How long the node may take to listen (catching up a long chain takes a while under load).</param>
    /// <param name="workingDirectory">The process's working directory; the current one if null.</param>
    /// <param name="certificateAuthorityFile">The CA (PEM) that issued the node's TLS certificate, when it serves TLS.</param>
    /// <param name="connect">Makes the channel to the node's URL; plain <see cref="GrpcChannel.ForAddress(string)"/> if null.</param>
    /// <param name="environment">Environment variables to set for the node (its configuration file, as a container passes it).</param>
    /// <param name="cancellationToken">Stops waiting (and kills the node).</param>
    public static async Task<NodeProcess> StartAsync(
        IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, string? certificateAuthorityFile = null,
        Func<string, GrpcChannel>? connect = null, IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OffshoreLedger.Node.dll"));
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The bound URL is read from the lifetime's "Now listening on:" line.
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var management = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recent = new Queue<string>();
        var all = new StringBuilder();
        void Collect(string? line)
        {
            if (line is null) return;
            lock (recent)
            {
                recent.Enqueue(line);
                if (recent.Count > KeptLines) recent.Dequeue();
                all.AppendLine(line);
            }
            if (ManagementLine().Match(line) is { Success: true } managed) management.TrySetResult(managed.Groups[1].Value);
            else if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
        }
        string All()
        {
            lock (recent) return all.ToString();
        }
        string Recent()
        {
            lock (recent) return string.Join(Environment.NewLine, recent);
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException(
            $"The node exited with code {process.ExitCode} before listening:{Environment.NewLine}{Recent()}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var url = await listening.Task.WaitAsync(timeout, cancellationToken);
            return new NodeProcess(
                process, url, Recent, All, management.Task, certificateAuthorityFile, connect ?? (u => GrpcChannel.ForAddress(u)));
        }
        catch (TimeoutException)
        {
            await KillAsync(process);
            process.Dispose();
            throw new TimeoutException($"The node did not listen within {timeout}:{Environment.NewLine}{Recent()}");
        }
        catch
        {
            await KillAsync(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly what a crash or an OOM kill does.</summary>
    public Task KillAsync() => KillAsync(_process);

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _channel.Dispose();
        await KillAsync(_process);
        _process.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Kill(_process);

    private static async Task KillAsync(Process process)
    {
        Kill(process);
        await process.WaitForExitAsync();
    }

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

    [GeneratedRegex(@"Now listening on: (https?://[^\s/""]+:\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Management listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ManagementLine();
}
