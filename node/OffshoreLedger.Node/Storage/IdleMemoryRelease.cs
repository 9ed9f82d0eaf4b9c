namespace OffshoreLedger.Node.Storage;

/// <summary>
/// Hands memory back when a node goes quiet after a burst of work. Reads and writes free native memory (RocksDB's read
/// buffers and write batches, gRPC's) into glibc's heaps, which keep it; an idle process frees nothing more, so a node that
/// answered a bank's morning batch kept that memory all day (BENCHMARKS.md, "Node memory": idle after a check load; the GC's
/// own heap stayed small throughout). Every <see cref="Interval"/> it counts the garbage collections since the last
/// look: <see cref="WorkCollections"/> or more is work (under load there are hundreds; a node following the head alone has
/// none or one); the first quiet interval after work ends the spell, and one collection and a trim of the native heaps hand
/// back what it left. Collections, not allocated bytes: with the GC's dynamic heap count the process's allocated-bytes total
/// is not monotonic (it was seen to fall between two looks).
/// </summary>
public sealed partial class IdleMemoryRelease(TimeProvider time, ILogger<IdleMemoryRelease> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Collections in an interval that mean the node was working.</summary>
    public const int WorkCollections = 3;

    /// <summary>How the release's log line starts.</summary>
    public const string LogMark = "Idle after a busy spell";

    /// <summary>How each look's log line (debug) starts.</summary>
    public const string LookMark = "Idle watch";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watch = new IdleWatch(WorkCollections);
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var collections = GC.CollectionCount(0);
                if (logger.IsEnabled(LogLevel.Debug)) LogLook(logger, collections, Environment.WorkingSet / (1024 * 1024));
                if (!watch.SpellEnded(collections)) continue;
                var before = Environment.WorkingSet;
                NativeHeap.HandBack();
                LogReleased(logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = LookMark + ": {Collections} collections so far, resident {ResidentMib} MiB")]
    private static partial void LogLook(ILogger logger, int collections, long residentMib);

    [LoggerMessage(Level = LogLevel.Information, Message = LogMark + ": memory handed back (resident {BeforeMib} MiB, now {AfterMib} MiB)")]
    private static partial void LogReleased(ILogger logger, long beforeMib, long afterMib);
}

/// <summary>
/// When a busy spell ends, as pure logic: an interval with at least the work threshold of garbage collections is work; the
/// first interval after work with fewer ends the spell (once, until the next work). The release's own collection is one,
/// below any sensible threshold.
/// </summary>
public sealed class IdleWatch(int workCollections)
{
    private int _lastCollections = -1;
    private bool _busy;

    /// <summary>One look, with the collections so far: true when this look ends a busy spell.</summary>
    public bool SpellEnded(int collections)
    {
        var first = _lastCollections < 0;
        var worked = !first && collections - _lastCollections >= workCollections;
        _lastCollections = collections;
        if (first) return false;
        if (worked)
        {
            _busy = true;
            return false;
        }
        var ended = _busy;
        _busy = false;
        return ended;
    }
}
