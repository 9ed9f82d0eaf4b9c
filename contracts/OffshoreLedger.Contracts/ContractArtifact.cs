using System.Reflection;
using System.Text.Json;

namespace OffshoreLedger.Contracts;

/// <summary>A contract as the pinned solc compiled it during this assembly's build.</summary>
public sealed record ContractArtifact(string ContractName, string Compiler, string Abi, string Bytecode, int RuntimeSize)
{
    /// <summary>The consortium contract: membership, titles, pledges, attestations and anchors.</summary>
    public static ContractArtifact OffshoreLedger { get; } = Load("OffshoreLedger.json");

    /// <summary>
    /// The largest contract the consortium chain must accept, in bytes: 48 KiB, twice EIP-170's 24,576. The ledger is
    /// beyond EIP-170, so the chain raises its limit (Besu genesis <c>contractSizeLimit</c>, anvil <c>--code-size-limit</c>).
    /// </summary>
    public const int MaxRuntimeSize = 49_152;

    private static ContractArtifact Load(string resource)
    {
        using var stream = typeof(ContractArtifact).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded contract artifact '{resource}' is missing; the Solidity build did not run.");
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        return new ContractArtifact(
            root.GetProperty("contractName").GetString()!,
            root.GetProperty("compiler").GetString()!,
            root.GetProperty("abi").GetRawText(),
            root.GetProperty("bytecode").GetString()!,
            root.GetProperty("runtimeSize").GetInt32());
    }

    /// <summary>Where this clone's npm tools (solc, anvil) were installed when the assembly was built.</summary>
    public static string? BuildTimeNodeModules =>
        typeof(ContractArtifact).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OffshoreLedger.NodeModules")?.Value;
}
