using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Node.Chain;

/// <summary>
/// Why the chain refused to simulate a write, whatever the revert: one of the contract's custom errors, a Solidity
/// panic (<c>Panic(uint256)</c>: an overflow, say), a revert message (<c>Error(string)</c>), revert data of no known
/// shape, or a call that cannot fit in a block. A simulation that reverts can never land as it is, so its entry ends
/// refused, with this reason; it must never stall the writes behind it.
/// </summary>
public sealed record SimulationRefusal(string Name, IReadOnlyDictionary<string, string> Arguments)
{
    private const string PanicSelector = "4e487b71", ErrorStringSelector = "08c379a0";

    /// <summary>
    /// The refusal a failed eth_estimateGas or eth_call carries, or null when it is not a revert (the chain was not reached, say).
    /// </summary>
    public static SimulationRefusal? From(Exception exception)
    {
        if (RevertData(exception) is { Length: >= 10 } data && Decode(data) is { } decoded) return decoded;
        var message = exception is RpcResponseException rpc ? rpc.RpcError?.Message ?? rpc.Message : null;
        if (message is null) return null;
        if (message.Contains("gas required exceeds", StringComparison.OrdinalIgnoreCase)
            || message.Contains("out of gas", StringComparison.OrdinalIgnoreCase))
        {
            return new("GasRequiredExceedsAllowance", new Dictionary<string, string> { ["message"] = message });
        }
        if (message.Contains("revert", StringComparison.OrdinalIgnoreCase)
            || message.Contains("invalid opcode", StringComparison.OrdinalIgnoreCase))
        {
            return new("UnknownRevert", new Dictionary<string, string> { ["message"] = message, ["data"] = RevertData(exception) ?? "" });
        }
        return null;
    }

    /// <summary>Decodes revert data: the contract's own error, a panic, a revert message, or raw data.</summary>
    public static SimulationRefusal Decode(string revertData)
    {
        var hex = revertData.RemoveHexPrefix().ToLowerInvariant();
        if (LedgerError.TryDecode(hex) is { } error)
        {
            return new(error.Name, error.Arguments.ToDictionary(a => a.Key, a => Format(a.Value)));
        }
        if (hex.StartsWith(PanicSelector, StringComparison.Ordinal) && hex.Length >= 8 + 64)
        {
            var code = new BigInteger(hex[8..72].HexToByteArray(), isUnsigned: true, isBigEndian: true);
            return new(
                "ContractPanic",
                new Dictionary<string, string> { ["code"] = "0x" + code.ToString("x2"), ["meaning"] = PanicMeaning(code) });
        }
        if (hex.StartsWith(ErrorStringSelector, StringComparison.Ordinal))
        {
            var message = new ParameterDecoder().DecodeDefaultData(hex[8..].HexToByteArray(), new Parameter("string", "message"));
            return new("RevertMessage", new Dictionary<string, string> { ["message"] = message.Single().Result?.ToString() ?? "" });
        }
        return new("UnknownRevert", new Dictionary<string, string> { ["data"] = "0x" + hex });
    }

    /// <summary>The revert data carried by a failed simulation, whichever way Nethereum surfaces it.</summary>
    public static string? RevertData(Exception exception) => exception switch
    {
        Nethereum.Contracts.SmartContractCustomErrorRevertException custom => custom.ExceptionEncodedData,
        RpcResponseException rpc => rpc.RpcError?.Data?.ToString(),
        _ => null,
    };

    /// <summary>Solidity's panic codes (the language documentation's list).</summary>
    private static string PanicMeaning(BigInteger code) => (int)(code > 0xff ? 0 : code) switch
    {
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "invalid storage byte array",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to an uninitialised function",
        _ => "unknown panic",
    };

    private static string Format(object? value) => value switch
    {
        byte[] bytes => "0x" + Convert.ToHexStringLower(bytes),
        _ => value?.ToString() ?? "",
    };
}
