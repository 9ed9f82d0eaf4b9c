namespace OffshoreLedger.Ledger.Replay;

/// <summary>
/// How many blocks the next <c>eth_getLogs</c> call asks for: the one rule the node's sync and the auditor's replay
/// both follow. The first window is one block (a busy chain's blocks hold thousands of logs, and an answer is parsed
/// whole in memory); each next is sized by the logs per block of the last (at most four times larger or smaller) to hold
/// about <see cref="TargetLogs"/>, so a sparse chain's windows reach thousands of blocks within a few calls. A window a
/// node refuses (chain nodes cap a log query by blocks or by results) is halved, and never asked for as large again.
/// </summary>
public sealed class LogWindow
{
    /// <summary>
    /// Large enough that a round trip costs little beside the logs; small enough that the parsed logs in flight die young
    /// (with 2,000 the garbage collector promoted them, and paused the replay for it) and a node's per-call limits stay
    /// out of reach.
    /// </summary>
    public const int DefaultTargetLogs = 500;

    private ulong _size;
    private ulong _ceiling;

    public LogWindow(int targetLogs = DefaultTargetLogs, ulong initialBlocks = 1, ulong maxBlocks = 500_000)
    {
        TargetLogs = Math.Max(1, targetLogs);
        _ceiling = Math.Max(1, maxBlocks);
        _size = Math.Clamp(initialBlocks, 1, _ceiling);
    }

    public int TargetLogs { get; }

    /// <summary>The blocks the next window asks for.</summary>
    public ulong Blocks => _size;

    /// <summary>The last block of the window that starts at <paramref name="from"/>, never past <paramref name="to"/>.</summary>
    public ulong End(ulong from, ulong to) => Math.Min(to, from + _size - 1);

    /// <summary>A window of <paramref name="blocks"/> answered with <paramref name="logs"/> logs: sizes the next.</summary>
    public void Answered(ulong blocks, int logs)
    {
        var wanted = logs == 0 ? blocks * 4 : (ulong)Math.Ceiling((double)TargetLogs * blocks / logs);
        _size = Math.Min(_ceiling, Math.Clamp(wanted, Math.Max(1, blocks / 4), blocks * 4));
    }

    /// <summary>
    /// A node refused a window of <paramref name="blocks"/>: the next asks for half, and none will ask for more again.
    /// False when a single block was refused (nothing smaller to ask for).
    /// </summary>
    public bool Refused(ulong blocks)
    {
        if (blocks <= 1) return false;
        _size = Math.Max(1, blocks / 2);
        _ceiling = _size;
        return true;
    }
}
