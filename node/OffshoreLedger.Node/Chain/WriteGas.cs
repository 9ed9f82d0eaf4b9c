using Nethereum.Contracts;
using OffshoreLedger.Contracts.Bindings;

namespace OffshoreLedger.Node.Chain;

/// <summary>The gas limit the outbox signs a write with.</summary>
public static class WriteGas
{
    /// <summary>
    /// The least gas a write may need whatever state it meets once mined, where that can differ from the state it was
    /// simulated in by more than the margin covers: a pledge simulated while its titles were pledged takes the short
    /// blocked path (an event, no storage), and mined after their release it takes the long one (every title and key
    /// written). contracts/GAS.md has the measured costs; these bounds stay above them.
    /// </summary>
    public static ulong? Floor(FunctionMessage call) => call switch
    {
        PledgeFunction pledge => 100_000UL + 15_000UL * (ulong)pledge.TitleIds.Count + 30_000UL * (ulong)pledge.Keys.Count,
        _ => null,
    };

    /// <summary>
    /// The simulated gas with a margin (alone it is not enough: PipelineTests has a 24-title pledge simulated while blocked revert out of
    /// gas) for drift in state between simulation and mining, and never below the write's floor.
    /// </summary>
    public static ulong Limit(ulong estimate, ulong? floor) => Math.Max(estimate + estimate / 4 + 10_000, floor ?? 0);
}
