using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Auth;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// A node in its own operating-system process (the built <c>OffshoreLedger.Node.dll</c> under <c>dotnet</c>), configured
/// on the command line as an operator would, so a test can kill it with SIGKILL instead of stopping it gracefully.
/// Disposing kills it too, as does the test host's exit.
/// </summary>
public sealed partial class NodeProcess : IAsyncDisposable
{
    public const string WriteKey = ConsortiumFixture.WriteKey;
    public const string ReadKey = ConsortiumFixture.ReadKey;

    private readonly Process _process;
    private readonly Func<string> _output;
    private readonly GrpcChannel _channel;
    private bool _disposed;

    private readonly Func<string> _allOutput;

    private NodeProcess(Process process, string url, Func<string> output, Func<string> allOutput, Task<string> managementUrl, string? certificateAuthorityFile)
    {
        _process = process;
        _output = output;
        _allOutput = allOutput;
        ManagementUrl = managementUrl;
        Url = url;
        CertificateAuthorityFile = certificateAuthorityFile;
        _channel = certificateAuthorityFile is null
            ? GrpcChannel.ForAddress(url)
            : Security.TlsChannels.Trusting(url, System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(certificateAuthorityFile)));
        Titles = new TitleService.TitleServiceClient(_channel);
        Documents = new DocumentService.DocumentServiceClient(_channel);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string Url { get; }

    /// <summary>The CA to trust when the node serves TLS; null for plaintext.</summary>
    public string? CertificateAuthorityFile { get; }
    public TitleService.TitleServiceClient Titles { get; }
    public DocumentService.DocumentServiceClient Documents { get; }
    public Metadata Write => new() { { ApiKeys.Header, WriteKey } };

    /// <summary>True once the process has ended, by a kill or by a crash.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the node wrote (warnings and errors: its log level), to explain a failure.</summary>
    public string RecentOutput() => _output();

    /// <summary>Everything the node has written to stdout and stderr so far.</summary>
    public string AllOutput() => _allOutput();

    /// <summary>The management listener's address, once the node has logged it (give it Node:Management:Url and that log category).</summary>
    public Task<string> ManagementUrl { get; }

    /// <summary>Starts a node for <paramref name="memberName"/> on <paramref name="dataDirectory"/> (created, or reused after a kill).</summary>
    public static async Task<NodeProcess> StartAsync(
        ConsortiumFixture fixture, string memberName, string dataDirectory, TimeSpan timeout, bool tls = false, IEnumerable<string>? extraArguments = null)
    {
        var settings = fixture.PrepareNode(fixture.Consortium.Member(memberName).Account, dataDirectory, tls);

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OffshoreLedger.Node.dll"));
        foreach (var argument in settings.ToArguments()) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--Logging:LogLevel:Default=Warning");
        foreach (var (key, value) in ConsortiumFixture.LiftedLimits) start.ArgumentList.Add($"--{key}={value}");
        // The bound port is read from the lifetime's "Now listening on:" line.
        start.ArgumentList.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        foreach (var argument in extraArguments ?? []) start.ArgumentList.Add(argument);

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var management = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var recent = new Queue<string>();
        var all = new System.Text.StringBuilder();
        void Collect(string? line)
        {
            if (line is null) return;
            lock (recent)
            {
                recent.Enqueue(line);
                if (recent.Count > 500) recent.Dequeue();
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
            var url = await listening.Task.WaitAsync(timeout);
            return new NodeProcess(process, url, Recent, All, management.Task, tls ? fixture.CertificateAuthorityFile : null);
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

    [GeneratedRegex(@"Now listening on: (https?://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Management listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ManagementLine();
}
