using System.CommandLine;
using Google.Protobuf;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Cli.Input;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Client.Keys;
using CollateralKey = OffshoreLedger.Api.V1.CollateralKey;
using KeyKind = OffshoreLedger.Client.Keys.CollateralKeyKind;

namespace OffshoreLedger.Cli.Commands;

/// <summary>Options several commands share, and how their collateral (titles, keys, documents) is gathered.</summary>
public static class CommonOptions
{
    public static Option<string> Type() => new("--type")
    {
        Description = "The document type: " + DocumentFile.TypeHelp,
        HelpName = string.Join("|", DocumentFile.TypeNames),
    };

    public static Option<ulong> Title(string description) => new("--title") { Description = description, HelpName = "ID", Required = true };

    public static Option<ulong[]> Titles(string description) => new("--title")
    {
        Description = description, HelpName = "ID", AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string[]> Keys(string description) => new("--key")
    {
        Description = description, HelpName = "HEX", AllowMultipleArgumentsPerToken = true,
    };

    public static Option<string[]> Files(string description) => new("--file")
    {
        Description = description, HelpName = "FILE", AllowMultipleArgumentsPerToken = true,
    };

    public static Option<bool> Local() => new("--local")
    {
        Description = "Derive the documents' collateral keys here with the consortium secret and send only the keys, never the documents",
    };

    public static Option<string> Address(string name, string description, bool required) => new(name)
    {
        Description = description, HelpName = "ADDRESS", Required = required,
    };

    /// <summary>Requires at least one of the options to be given.</summary>
    public static void RequireOneOf(Command command, params Option[] options) => command.Validators.Add(result =>
    {
        if (options.All(o => result.GetResult(o) is null))
        {
            result.AddError($"give at least one of {string.Join(", ", options.Select(o => o.Name))}");
        }
    });
}

/// <summary>What a bank names as collateral: titles, raw keys, and documents (sent, or reduced to keys here).</summary>
public sealed class Collateral
{
    private readonly Dictionary<ByteString, KeyKind> _kinds = [];

    public List<ulong> TitleIds { get; } = [];
    public List<ByteString> Keys { get; } = [];
    public List<TradeDocument> Documents { get; } = [];
    public IReadOnlyList<DocumentFile> Files { get; private init; } = [];

    public static Collateral Gather(CommandContext context, ulong[]? titles, string[]? keys, string[]? files, string? type, bool local)
    {
        var collateral = new Collateral { Files = DocumentFile.LoadAll(files ?? [], type) };
        collateral.TitleIds.AddRange(titles ?? []);
        collateral.Keys.AddRange((keys ?? []).Select(k => Values.Bytes32(k, "--key")));
        if (!local)
        {
            collateral.Documents.AddRange(collateral.Files.Select(f => f.Message));
            return collateral;
        }

        if (collateral.Files.Count == 0) return collateral;
        var deriver = new CollateralKeyDeriver(context.Settings.LoadConsortiumSecret());
        foreach (var key in collateral.Files.SelectMany(f => deriver.KeysFor(f.Document)).Where(k => k.Kind != KeyKind.ShipmentLot))
        {
            var bytes = TradeDocuments.KeyBytes(key);
            collateral._kinds[bytes] = key.Kind;
            collateral.Keys.Add(bytes);
        }

        return collateral;
    }

    /// <summary>Gives keys this CLI derived their kind, which a key sent as bare bytes comes back without.</summary>
    public CollateralKey Named(CollateralKey key) =>
        key.Kind == Api.V1.CollateralKeyKind.Unspecified && _kinds.TryGetValue(key.Value, out var kind)
            ? new CollateralKey { Value = key.Value, Kind = (Api.V1.CollateralKeyKind)(int)kind }
            : key;
}
