using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace OffshoreLedger.Contracts.Bindings;

/// <summary>Deploys OffshoreLedger with its founding admins and their approval threshold.</summary>
public sealed class OffshoreLedgerDeployment() : ContractDeploymentMessage(ContractArtifact.OffshoreLedger.Bytecode)
{
    [Parameter("address[]", "admins", 1)] public List<string> Admins { get; set; } = [];
    [Parameter("uint32", "threshold", 2)] public uint Threshold { get; set; }
}
