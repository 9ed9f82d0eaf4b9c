using System.Runtime.InteropServices;

namespace OffshoreLedger.Node.Storage;

/// <summary>
/// glibc's allocator, tuned for RocksDB's pattern. A sync step's write batch and memtables are large native allocations
/// freed soon after; glibc raises its mmap threshold each time such a block is freed (up to 32 MiB), so later ones come
/// from its heap, where freed memory stays with the process: most of a node's resident memory after a long catch-up
/// (BENCHMARKS.md, "Node memory"). Both thresholds are fixed instead, at <see cref="Threshold"/>: blocks above it
/// are mapped and returned when freed, free heap tops above it are trimmed, and the memtables' arena blocks and a step's
/// smaller buffers below it are reused from the heap. Fixed lower, every such block was mapped afresh and its pages
/// faulted in one by one, a catch-up's CPU going to the kernel for little memory saved (BENCHMARKS.md, "Node memory":
/// before and after).
/// </summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1, MmapThreshold = -3;
    private const int Threshold = 4 * 1024 * 1024;

    /// <summary>At process start: large blocks are mapped (and unmapped when freed), and free heap tops are trimmed.</summary>
    public static void ReturnFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = Mallopt(MmapThreshold, Threshold);
            _ = Mallopt(TrimThreshold, Threshold);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no tunable): nothing to tune.
        }
    }

    /// <summary>
    /// Hands back what a burst of work left: one aggressive, compacting collection (the managed heap the GC grew for it),
    /// then the native heaps' free memory (what it freed into glibc's heaps, which keep it).
    /// </summary>
    public static void HandBack()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Trim();
    }

    /// <summary>Hands free heap memory back to the operating system now.</summary>
    private static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    // DllImport rather than LibraryImport: plain ints, no marshalling, and no unsafe code in the project for it.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
