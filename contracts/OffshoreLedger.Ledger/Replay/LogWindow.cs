namespace OffshoreLedger.Ledger.Replay;

/// <summary>
/// How many blocks the next <c>eth_getLogs</c> call asks for: the one rule the node's sync and the auditor's replay
/// both follow. The first window is one block (a busy chain's blocks hold thousands of logs, and an answer is parsed
/// whole in memory); each next is sized by the logs per block of the last (at most four times larger or smaller) to hold
/// about <see cref="TargetLogs"/>, so a sparse chain's windows reach thousands of blocks within a few calls. A window a
/// node refuses (chain nodes cap a log query by blocks or by results) is halved, and never asked for as large again.
/// Density can jump: after a sparse stretch a window spans many blocks, and if they turn out busy its answer would hold
/// tens of thousands of logs in memory at once. An answer is therefore read up to <see cref="MaxAnswerBytes"/> only; past
/// it the window is dropped and the next is one block (<see cref="TooLarge"/>). A single block is always read whole.
/// </summary>
public sealed class LogWindow
{
    /// <summary>
    /// Large enough that a round trip costs little beside the logs; small enough that the parsed logs in flight die young
    /// (with 2,000 the garbage collector promoted them, and paused the replay for it) and a node's per-call limits stay
    /// out of reach.
    /// </summary>
    public const int DefaultTargetLogs = 500;

    /// <summary>The most of one answer read before its window counts as too large: some 12,000 logs of a registration.</summary>
    public const int DefaultMaxAnswerBytes = 16 * 1024 * 1024;

    private ulong _size;
    private ulong _ceiling;

    public LogWindow(
        int targetLogs = DefaultTargetLogs, ulong initialBlocks = 1, ulong maxBlocks = 500_000, int maxAnswerBytes = DefaultMaxAnswerBytes)
    {
        TargetLogs = Math.Max(1, targetLogs);
        MaxAnswerBytes = Math.Max(1, maxAnswerBytes);
        _ceiling = Math.Max(1, maxBlocks);
        _size = Math.Clamp(initialBlocks, 1, _ceiling);
    }

    public int TargetLogs { get; }

    /// <summary>The most of an answer over several blocks that is read (<see cref="EthLogReader.GetLogsAnswerAsync"/>).</summary>
    public int MaxAnswerBytes { get; }

    /// <summary>What the reader may read of the answer for <paramref name="from"/>–<paramref name="to"/>: all of one block.</summary>
    public int AnswerLimit(ulong from, ulong to) => to > from ? MaxAnswerBytes : int.MaxValue;

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
    /// The answer for a window of several blocks ran past <see cref="MaxAnswerBytes"/>: the next asks for one block, and
    /// the windows after it are sized by what it holds. The chain computes the whole answer however little of it is read,
    /// so a smaller retry that is still too large costs as much again: one block is never too large. Unlike a refusal this
    /// sets no ceiling: the busy stretch may end.
    /// </summary>
    public void TooLarge() => _size = 1;

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
