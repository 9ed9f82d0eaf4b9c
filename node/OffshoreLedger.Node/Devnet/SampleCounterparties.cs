using OffshoreLedger.Node.Verification;

namespace OffshoreLedger.Node.Devnet;

/// <summary>
/// The counterparty directory of a development bank: the made-up companies of the sample trade in
/// <c>client-sdk/samples</c>, the trader tied to the development trader member, so that the sample verifies.
/// </summary>
public static class SampleCounterparties
{
    public static IReadOnlyList<CounterpartyOptions> For(string traderAddress) =>
    [
        new() { Name = "Lion City Copper Trading Pte. Ltd.", Lei = "984500LC0PPERMET0124", Member = traderAddress },
        new() { Name = "Straits Smelting Sdn. Bhd.", RegistrationId = "199801012345" },
        new() { Name = "Rheinkupfer GmbH", Lei = "894500RHEINCU0RP0204" },
    ];
}
