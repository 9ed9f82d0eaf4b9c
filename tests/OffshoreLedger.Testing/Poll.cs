namespace OffshoreLedger.Testing;

/// <summary>Waits for a condition by polling it with a deadline: never a fixed sleep standing in for "long enough".</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Polls <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> with <paramref name="failure"/> after
    /// <paramref name="timeout"/>.
    /// </summary>
    public static async Task UntilAsync(
        Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(failure());
            await Task.Delay(Interval, cancellationToken);
        }
    }

    /// <summary>
    /// Reads a value until <paramref name="done"/> accepts it or <paramref name="timeout"/> passes, and returns the last value
    /// read either way, for the caller to assert on (so a failure shows what was last seen).
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(Interval, cancellationToken);
        }
    }
}
