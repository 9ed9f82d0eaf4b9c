using System.Collections.Concurrent;
using System.Diagnostics;
using OffshoreLedger.Node.Outbox;

namespace OffshoreLedger.Node.Telemetry;

/// <summary>
/// Carries a write's trace from the request that submitted it to the outbox's background sender. While a caller waits
/// for its write, the write's span is remembered by request id; each step the sender takes (sign, send) is
/// a span in that trace when it serves one traced write, or a span linked to every write it serves when it batches
/// several (OpenTelemetry's way to show one piece of work done for many requests). The JSON-RPC calls a step makes are
/// its children. Steps that serve no traced write (a restart's leftovers, or tracing off) start no span at all. The
/// confirmation ends the write's own span, tagged with its transaction and block.
/// </summary>
public sealed class WriteTraces
{
    /// <summary>Links on one step's span at most: a batch of thousands of writes should not make a span of megabytes.</summary>
    private const int MaxLinks = 128;

    private readonly ConcurrentDictionary<string, ActivityContext> _waiting = new(StringComparer.Ordinal);

    /// <summary>Remembers <paramref name="activity"/> as the trace of write <paramref name="requestId"/> until disposed.</summary>
    public IDisposable Track(string requestId, Activity? activity)
    {
        if (activity is null) return NotTracked.Instance;
        _waiting[requestId] = activity.Context;
        return new Tracked(this, requestId);
    }

    /// <summary>A span for one sender step over <paramref name="entries"/>, or null when none of them is traced.</summary>
    public Activity? StartStep(string step, IReadOnlyCollection<OutboxEntry> entries)
    {
        if (_waiting.IsEmpty || !NodeTracing.Source.HasListeners()) return null;
        var traced = new List<ActivityContext>();
        foreach (var entry in entries)
        {
            if (_waiting.TryGetValue(entry.RequestId, out var context)) traced.Add(context);
        }
        if (traced.Count == 0) return null;
        var activity = traced.Count == 1
            ? NodeTracing.Source.StartActivity($"outbox.{step}", ActivityKind.Internal, traced[0])
            : NodeTracing.Source.StartActivity($"outbox.{step}", ActivityKind.Internal, parentContext: default,
                links: traced.Take(MaxLinks).Select(c => new ActivityLink(c)));
        activity?.SetTag(NodeTracing.BatchSize, entries.Count);
        activity?.SetTag(NodeTracing.TracedWrites, traced.Count);
        return activity;
    }

    private sealed class Tracked(WriteTraces traces, string requestId) : IDisposable
    {
        public void Dispose() => traces._waiting.TryRemove(requestId, out _);
    }

    private sealed class NotTracked : IDisposable
    {
        public static readonly NotTracked Instance = new();

        public void Dispose()
        {
        }
    }
}
