using System.Diagnostics;
using System.Text;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>What one run of the node program printed and returned.</summary>
public sealed record ProgramRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the built node program (<c>OffshoreLedger.Node.dll</c> under <c>dotnet</c>) as an operator would and waits for
/// it to exit; one that has not exited within the time allowed is killed with its children (a development chain it
/// may have started) and reported as such.
/// </summary>
public static class NodeProgram
{
    public static async Task<ProgramRun> RunAsync(
        IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        using var scratch = workingDirectory is null ? new TemporaryDirectory("offshore-program-") : null;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? scratch!.Path,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OffshoreLedger.Node.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Nothing from the test host's environment may configure a chain.
        start.Environment.Remove("Chain__RpcUrl");
        // Nodes that start share this machine: a free management port each, unless the test says otherwise.
        start.Environment["Node__Management__Url"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var (stdout, stderr) = (new StringBuilder(), new StringBuilder());
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (stdout) return new ProgramRun(-1, $"(still running after {timeout}: killed)\n{stdout}", stderr.ToString());
        }
        process.WaitForExit();
        lock (stdout) return new ProgramRun(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
