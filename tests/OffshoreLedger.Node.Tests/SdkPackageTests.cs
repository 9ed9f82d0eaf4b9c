using System.Diagnostics;

namespace OffshoreLedger.Node.Tests;

/// <summary>
/// The SDK installs like a package (issue 17, item 8): the README's one pack command produces every package the SDK
/// needs, and a fresh project that knows nothing of this repository restores it and calls a real node with it.
/// </summary>
[Collection(NodeCollection.Name)]
public sealed class SdkPackageTests(ConsortiumFixture fixture) : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly string _scratch = Directory.CreateTempSubdirectory("offshore-sdk-package-").FullName;

    [Fact]
    public async Task A_fresh_project_restores_the_packed_sdk_and_calls_a_node()
    {
        var feed = Path.Combine(_scratch, "feed");
        var app = Path.Combine(_scratch, "app");
        Directory.CreateDirectory(app);
        // The README's pack command, on what this test run has built already (a rebuild would race the other tests).
        await DotnetAsync(
            RepositoryPaths.Root, "pack", "client-sdk/OffshoreLedger.Sdk.slnf", "--no-build", "-c", Configuration, "-o", feed);
        Assert.Contains(
            Directory.EnumerateFiles(feed, "*.nupkg"),
            f => Path.GetFileName(f).StartsWith("OffshoreLedger.Api.", StringComparison.Ordinal));

        // Its own package cache, fed only by the packed SDK and the packages this machine has restored already: a
        // stale OffshoreLedger.Client from an earlier run cannot stand in, and nothing is downloaded.
        var machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="sdk" value="{feed}" />
                <add key="machine" value="{machineCache}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="OffshoreLedger.Client" Version="1.0.0" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using OffshoreLedger.Api.V1;
            using OffshoreLedger.Client.Connection;

            using var client = new LedgerClient(new LedgerClientOptions { Address = new Uri(args[0]), ApiKey = args[1] });
            var info = await client.GetNodeInfoAsync();
            var check = await client.CheckCollateralAsync(
                new CheckCollateralRequest { Keys = { Google.Protobuf.ByteString.CopyFrom(Enumerable.Repeat((byte)7, 32).ToArray()) } });
            Console.WriteLine($"chain {info.ChainId} contract {info.ContractAddress} keys {check.Keys.Count}");
            """);

        await using var node = await RunningNode.StartAsync(fixture, "bank A");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_scratch, "packages") };
        var output = await DotnetAsync(app, environment, "run", "--", node.Url, node.ReadKey);

        Assert.Contains(
            $"chain {fixture.Chain.ChainId} contract {fixture.Consortium.ContractAddress} keys 1", output,
            StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => TemporaryDirectory.Delete(_scratch);

    private static Task<string> DotnetAsync(string workingDirectory, params string[] arguments) =>
        DotnetAsync(workingDirectory, new Dictionary<string, string>(), arguments);

    private static async Task<string> DotnetAsync(
        string workingDirectory, Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        // Not the test host's MSBuild settings: the fresh project must build as it would on a user's machine.
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        using var dotnet = Process.Start(start)!;
        var stdout = dotnet.StandardOutput.ReadToEndAsync();
        var stderr = dotnet.StandardError.ReadToEndAsync();
        try
        {
            await dotnet.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            dotnet.Kill(entireProcessTree: true);
            throw;
        }
        var output = await stdout + await stderr;
        Assert.True(dotnet.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({dotnet.ExitCode}):\n{output}");
        return output;
    }
}
