namespace OffshoreLedger.Benchmarks.Memory;

/// <summary>Memory of a process as Linux accounts it, from <c>/proc/PID/status</c>, in KiB.</summary>
public sealed record ProcessMemory(long VmRss, long VmHwm, long RssAnon, long RssFile)
{
    public static ProcessMemory Of(int pid)
    {
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        long Field(string name) =>
            lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line
                ? long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
                : 0;
        return new ProcessMemory(Field("VmRSS"), Field("VmHWM"), Field("RssAnon"), Field("RssFile"));
    }

    public double RssMib => VmRss / 1024.0;
    public double PeakMib => VmHwm / 1024.0;
    public double AnonMib => RssAnon / 1024.0;
    public double FileMib => RssFile / 1024.0;
}
