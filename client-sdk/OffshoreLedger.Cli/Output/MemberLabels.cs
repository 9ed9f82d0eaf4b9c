using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Cli.Output;

/// <summary>
/// Who an address is, for people reading the CLI's tables: "Devnet Bank A (0x90f7…b906)", from the node's member
/// directory (the names governance recorded on chain). The --json output keeps addresses as they are. A node that
/// cannot answer the directory leaves addresses bare rather than failing the command.
/// </summary>
public sealed class MemberLabels
{
    public static readonly MemberLabels None = new(new Dictionary<string, MemberName>(StringComparer.OrdinalIgnoreCase));

    private readonly IReadOnlyDictionary<string, MemberName> _names;

    private MemberLabels(IReadOnlyDictionary<string, MemberName> names) => _names = names;

    public static async Task<MemberLabels> LoadAsync(LedgerClient client, CancellationToken cancellationToken)
    {
        try
        {
            var directory = await client.GetMemberDirectoryAsync(cancellationToken);
            return From(directory);
        }
        catch (LedgerException)
        {
            return None;
        }
    }

    public static MemberLabels From(GetMemberDirectoryResponse directory) => new(directory.Members
        .Where(m => m.Name.Length > 0)
        .ToDictionary(m => m.Address, m => new MemberName(m.Name, m.Lei), StringComparer.OrdinalIgnoreCase));

    /// <summary>The member's display name, or null if the directory does not name it.</summary>
    public string? NameOf(string? address) => address is not null && _names.TryGetValue(address, out var name) ? name.Name : null;

    /// <summary>"Name (0x90f7…b906)", or the address itself when the directory does not name it.</summary>
    public string Label(string? address) =>
        string.IsNullOrEmpty(address) ? "" : MemberName.Label(address, _names.GetValueOrDefault(address));
}
