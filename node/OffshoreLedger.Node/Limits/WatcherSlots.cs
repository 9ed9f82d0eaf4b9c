using Microsoft.Extensions.Options;

namespace OffshoreLedger.Node.Limits;

/// <summary>Counts the open watchers of each caller against <see cref="LimitsOptions.MaxWatchersPerCaller"/>.</summary>
public sealed class WatcherSlots(IOptions<LimitsOptions> options)
{
    private readonly Dictionary<string, int> _open = [];

    public int MaxPerCaller { get; } = options.Value.MaxWatchersPerCaller;

    /// <summary>Watchers open now, of all callers.</summary>
    public int Open
    {
        get
        {
            lock (_open) return _open.Values.Sum();
        }
    }

    /// <summary>A slot for one more watcher of <paramref name="caller"/>, released on dispose; null when it has all it may.</summary>
    public IDisposable? TryTake(string caller)
    {
        lock (_open)
        {
            var open = _open.GetValueOrDefault(caller);
            if (open >= MaxPerCaller) return null;
            _open[caller] = open + 1;
        }
        return new Slot(this, caller);
    }

    private void Release(string caller)
    {
        lock (_open)
        {
            if (_open[caller] == 1) _open.Remove(caller);
            else _open[caller]--;
        }
    }

    private sealed class Slot(WatcherSlots slots, string caller) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) slots.Release(caller);
        }
    }
}
