using System.ComponentModel.DataAnnotations;

namespace OffshoreLedger.Node.Chain;

/// <summary>The chain this node follows and writes to. Secrets never live here.</summary>
public sealed class ChainOptions
{
    public const string Section = "Chain";

    /// <summary>
    /// JSON-RPC endpoint. Required: only <c>--dev</c> or the <c>devnet</c> command start a local development chain without it.
    /// </summary>
    public string? RpcUrl { get; set; }

    /// <summary>Further JSON-RPC endpoints of the same chain; the node fails over between these and <see cref="RpcUrl"/>.</summary>
    public string[] RpcUrls { get; set; } = [];

    /// <summary>Every endpoint, <see cref="RpcUrl"/> first.</summary>
    public IReadOnlyList<string> Endpoints =>
        [.. new[] { RpcUrl }.Concat(RpcUrls).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u!).Distinct()];

    /// <summary>
    /// The chain's id. Optional: without it the node reads the id from its store, where it keeps the one it was first
    /// started with, or on a first start asks the chain. With it (or a store), the node starts while its chain is down.
    /// </summary>
    public ulong? ChainId { get; set; }

    [RegularExpression("^0x[0-9a-fA-F]{40}$")]
    public string? ContractAddress { get; set; }

    /// <summary>The contract's deployment block, where sync starts.</summary>
    public ulong DeploymentBlock { get; set; }

    /// <summary>Blocks to wait behind the head before indexing (0 on an instant-finality dev chain).</summary>
    [Range(0, 1000)]
    public int ConfirmationDepth { get; set; }

    [Range(10, 60_000)]
    public int PollIntervalMilliseconds { get; set; } = 200;

    /// <summary>
    /// How long after the index was last at the chain's head its answers are flagged stale (also at once while the
    /// chain does not answer).
    /// </summary>
    [Range(1, 86_400)]
    public int StaleAfterSeconds { get; set; } = 10;

    /// <summary>
    /// At most this many blocks per eth_getLogs request while catching up; the window adapts below it to keep each answer near
    /// <see cref="Ledger.Replay.LogWindow.DefaultTargetLogs"/> logs (the replay's rule, <see cref="Ledger.Replay.LogWindow"/>).
    /// </summary>
    [Range(1, 100_000)]
    public int LogWindowBlocks { get; set; } = 2_000;
}
