using Nethereum.JsonRpc.Client;
using OffshoreLedger.Node.Chain;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>Every shape of revert decodes to a reason, so no simulation failure can escape the refusal path.</summary>
public sealed class SimulationRefusalTests
{
    [Fact]
    public void A_panic_decodes_to_its_code_and_meaning()
    {
        var refusal = SimulationRefusal.Decode("0x4e487b71" + "11".PadLeft(64, '0'));

        Assert.Equal("ContractPanic", refusal.Name);
        Assert.Equal("0x11", refusal.Arguments["code"]);
        Assert.Equal("arithmetic overflow or underflow", refusal.Arguments["meaning"]);
    }

    [Fact]
    public void A_revert_message_decodes_to_its_text()
    {
        // Error(string) with "nope": offset 0x20, length 4, the bytes.
        var data = "0x08c379a0" + "20".PadLeft(64, '0') + "4".PadLeft(64, '0') + "6e6f7065".PadRight(64, '0');

        var refusal = SimulationRefusal.Decode(data);

        Assert.Equal("RevertMessage", refusal.Name);
        Assert.Equal("nope", refusal.Arguments["message"]);
    }

    [Fact]
    public void Revert_data_of_no_known_shape_is_kept_raw()
    {
        var refusal = SimulationRefusal.Decode("0xdeadbeef01");

        Assert.Equal("UnknownRevert", refusal.Name);
        Assert.Equal("0xdeadbeef01", refusal.Arguments["data"]);
    }

    [Fact]
    public void A_call_too_large_for_a_block_is_refused_and_an_unreachable_chain_is_not()
    {
        var gas = SimulationRefusal.From(
            new RpcResponseException(new Nethereum.JsonRpc.Client.RpcError(-32000, "gas required exceeds allowance (30000000)")));
        var unreachable = SimulationRefusal.From(
            new RpcClientUnknownException(
                "Error occurred when trying to send rpc requests(s)", new HttpRequestException("Connection refused")));

        Assert.Equal("GasRequiredExceedsAllowance", gas?.Name);
        Assert.Null(unreachable);
        Assert.True(ChainAvailability.IsUnreachable(new RpcClientUnknownException("x", new HttpRequestException("Connection refused"))));
        Assert.False(
            ChainAvailability.IsUnreachable(new RpcResponseException(new Nethereum.JsonRpc.Client.RpcError(-32000, "insufficient funds"))));
    }
}
