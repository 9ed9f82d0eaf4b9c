using System.Collections.Immutable;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;

namespace OffshoreLedger.Contracts.Bindings;

/// <summary>A custom error the contract reverted with, decoded by name from the ABI.</summary>
/// <param name="Name">The Solidity error name, e.g. <c>KeyAlreadyLive</c>.</param>
/// <param name="Arguments">The error's arguments by parameter name (addresses as hex, bytes as byte[]).</param>
public sealed record LedgerError(string Name, ImmutableDictionary<string, object?> Arguments)
{
    private static readonly ImmutableDictionary<string, ErrorABI> BySelector = new ABIJsonDeserialiser()
        .DeserialiseContract(ContractArtifact.OffshoreLedger.Abi)
        .Errors
        .ToImmutableDictionary(e => e.Sha3Signature.ToLowerInvariant(), e => e);

    /// <summary>Every error name the contract declares.</summary>
    public static IEnumerable<string> DeclaredNames => BySelector.Values.Select(e => e.Name);

    /// <summary>Decodes revert data (selector + ABI arguments); null if it is not one of the contract's errors.</summary>
    public static LedgerError? TryDecode(string? revertData)
    {
        if (string.IsNullOrEmpty(revertData)) return null;
        var hex = revertData.RemoveHexPrefix().ToLowerInvariant();
        if (hex.Length < 8 || !BySelector.TryGetValue(hex[..8], out var abi)) return null;
        var outputs = new ParameterDecoder().DecodeDefaultData(hex[8..].HexToByteArray(), abi.InputParameters);
        return new LedgerError(abi.Name, outputs.ToImmutableDictionary(o => o.Parameter.Name, o => (object?)o.Result));
    }

    /// <summary>The argument named <paramref name="name"/>, converted to <typeparamref name="T"/>.</summary>
    public T Argument<T>(string name) =>
        (T)Convert.ChangeType(Arguments[name]!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() =>
        $"{Name}({string.Join(", ", Arguments.Select(a => $"{a.Key}: {Format(a.Value)}"))})";

    private static string Format(object? value) => value switch
    {
        byte[] bytes => bytes.ToHex(true),
        _ => value?.ToString() ?? "null",
    };
}

/// <summary>A transaction or call the contract refused with one of its custom errors.</summary>
public sealed class LedgerRevertException(LedgerError error, Exception? inner = null)
    : Exception($"The ledger contract refused: {error}", inner)
{
    public LedgerError Error { get; } = error;

    /// <summary>Translates Nethereum's revert exceptions into a decoded ledger error, when it is one.</summary>
    public static LedgerRevertException? From(Exception exception) => exception switch
    {
        SmartContractCustomErrorRevertException custom when LedgerError.TryDecode(custom.ExceptionEncodedData) is { } error
            => new LedgerRevertException(error, exception),
        _ => null,
    };
}
