using System.ComponentModel.DataAnnotations;

namespace OffshoreLedger.Node.Documents;

/// <summary>When a batch of document hashes is anchored: at this many documents, or after this delay.</summary>
public sealed class AnchoringOptions
{
    public const string Section = "Anchoring";

    [Range(1, 1_000_000)]
    public int MaxBatchSize { get; set; } = 10_000;

    [Range(0, 600_000)]
    public int MaxDelayMilliseconds { get; set; } = 200;

    /// <summary>Documents one request may anchor; a request is never split across batches.</summary>
    [Range(1, 100_000)]
    public int MaxDocumentsPerRequest { get; set; } = 10_000;
}
