
namespace OffshoreLedger.Node.Devnet;

/// <summary>Prints where the development chain is and who is on it, for people poking at it with a client or cast.</summary>
public static class DevnetTable
{
    /// <summary>anvil's default mnemonic; <see cref="AnvilChain"/> does not override it, so account N is well known.</summary>
    private const string AnvilMnemonic = "test test test test test test test test test test test junk";

    public static void Write(TextWriter output, AnvilChain chain, DevConsortium consortium)
    {
        output.WriteLine();
        output.WriteLine("OffshoreLedger development chain");
        Row(output, "RPC URL", chain.RpcUrl);
        Row(output, "Chain id", chain.ChainId.ToString());
        Row(output, "Contract", consortium.ContractAddress);
        Row(output, "Deployment block", consortium.DeploymentBlock.ToString());
        Row(output, "Governance", $"{DevConsortium.Threshold} of {consortium.Admins.Count} admins");
        output.WriteLine();
        output.WriteLine(
            "Participants - PUBLIC anvil development accounts; their keys are known to everyone, never use them on a real chain.");
        output.WriteLine($"  {"Name",-10} {"Role",-8} {"Account",-8} Address");
        foreach (var participant in consortium.Admins.Concat(consortium.Members))
        {
            output.WriteLine($"  {participant.Name,-10} {participant.RoleName,-8} {"#" + participant.Account,-8} {participant.Address}");
        }
        output.WriteLine($"  Keys: anvil's default mnemonic \"{AnvilMnemonic}\", by account number.");
        output.WriteLine();
    }

    private static void Row(TextWriter output, string label, string value) => output.WriteLine($"  {label,-18} {value}");
}
