namespace OffshoreLedger.Node.Limits;

/// <summary>
/// The largest request message each RPC takes, in bytes: the one place that says so. Reads and id-only writes are
/// small; RPCs that carry trade documents are larger; a batch of documents to anchor is the largest. A larger message
/// is refused RESOURCE_EXHAUSTED (<c>MESSAGE_TOO_LARGE</c>) before it is parsed.
/// </summary>
public static class MessageSizes
{
    public const int Small = 64 * 1024, WithDocuments = 2 * 1024 * 1024, DocumentBatch = 4 * 1024 * 1024;

    private const string Package = "/offshore_ledger.v1.";

    private static readonly Dictionary<string, int> ByMethod = new(StringComparer.Ordinal)
    {
        [Package + "TitleService/RegisterTitle"] = WithDocuments,
        [Package + "TitleService/CheckCollateral"] = WithDocuments,
        [Package + "TitleService/Pledge"] = WithDocuments,
        [Package + "TitleService/Release"] = WithDocuments,
        [Package + "TitleService/SignPledgeConsent"] = WithDocuments,
        [Package + "AttestationService/PublishLoadingAttestation"] = WithDocuments,
        [Package + "DocumentService/AnchorDocuments"] = DocumentBatch,
        [Package + "DocumentService/VerifyDocument"] = WithDocuments,
        [Package + "VerificationService/VerifyTrade"] = WithDocuments,
    };

    /// <summary>
    /// The limit of the RPC named by its full method (<c>/package.Service/Method</c>); <see cref="Small"/> unless listed.
    /// </summary>
    public static int For(string fullMethod) => ByMethod.GetValueOrDefault(fullMethod, Small);

    /// <summary>The largest limit among a service's RPCs: what gRPC may buffer for that service before the per-RPC check.</summary>
    public static int LargestOf(string serviceName) =>
        ByMethod.Where(m => m.Key.StartsWith(Package + serviceName + "/", StringComparison.Ordinal)).Select(m => m.Value)
            .DefaultIfEmpty(Small).Max();
}
