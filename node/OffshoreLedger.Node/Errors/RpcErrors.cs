using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Node.Errors;

/// <summary>
/// The one place that turns failures into gRPC statuses with <c>google.rpc.Status</c> details (AIP-193):
/// an <see cref="ErrorInfo"/> whose reason is an <see cref="ErrorReason"/> (never a free string), and for bad input a
/// <see cref="BadRequest"/> naming each field.
/// </summary>
public static class RpcErrors
{
    public const string Domain = "offshore-ledger.v1";

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <summary>
    /// How much of a request an error echoes. A status travels in HTTP/2 trailers, which clients cap (64 KB in .NET); a
    /// larger one fails the caller's whole connection, not just the call, so a violation quoting a 200 KB value or a
    /// request with thousands of bad keys must not be echoed in full.
    /// </summary>
    private const int MaxViolations = 50, MaxViolationsInMessage = 10, MaxTextLength = 200;

    /// <summary>
    /// INVALID_ARGUMENT naming every field at fault (the first <see cref="MaxViolations"/>, each cut to a readable length).
    /// </summary>
    public static RpcException InvalidArgument(IReadOnlyCollection<(string Field, string Description)> violations)
    {
        var shown = violations.Take(MaxViolations).Select(v => (Field: Cut(v.Field), Description: Cut(v.Description))).ToList();
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(
            shown.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var summary = string.Join("; ", shown.Take(MaxViolationsInMessage).Select(v => $"{v.Field}: {v.Description}"));
        if (violations.Count > MaxViolationsInMessage) summary += $"; and {violations.Count - MaxViolationsInMessage} more";
        return Build(StatusCode.InvalidArgument, ErrorReason.InvalidArgument, summary, NoMetadata, badRequest);
    }

    private static string Cut(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength] + "…";

    /// <summary>INVALID_ARGUMENT for a request body that is not a message of the RPC's type at all.</summary>
    public static RpcException MalformedMessage(string method, string problem) =>
        Build(StatusCode.InvalidArgument, ErrorReason.MalformedMessage, $"The request is not a message for {method}: {problem}", NoMetadata,
            null);

    /// <summary>
    /// The contract's refusal: its reason, the refusal in words, and its arguments as metadata (addresses EIP-55, roles
    /// by name, times RFC 3339). An error this node does not know is LEDGER_REFUSED with the error's name as metadata.
    /// </summary>
    public static RpcException Refused(string errorName, IReadOnlyDictionary<string, string>? arguments)
    {
        var metadata = LedgerRefusals.Metadata(arguments);
        if (!LedgerRefusals.ByContractError.TryGetValue(errorName, out var refusal))
        {
            refusal = LedgerRefusals.Unknown;
            metadata["error"] = errorName;
        }
        var detail = metadata.Count > 0 ? $" ({string.Join(", ", metadata.Select(a => $"{a.Key}={Cut(a.Value)}"))})" : "";
        return Build(refusal.Code, refusal.Reason, $"The ledger refused: {refusal.Words}{detail}.", metadata, null);
    }

    /// <summary>A pledge blocked by an existing financing: who holds it (by name, and address) and until when.</summary>
    public static RpcException AlreadyPledged(ulong conflictingPledgeId, string pledgee, MemberName? pledgeeName, ulong expiry)
    {
        var metadata = new Dictionary<string, string>
        {
            ["pledgeId"] = conflictingPledgeId.ToString(),
            ["pledgee"] = LedgerRefusals.Address(pledgee),
            ["expiry"] = LedgerRefusals.Time((long)expiry),
        };
        if (pledgeeName is not null) metadata["pledgeeName"] = pledgeeName.Name;
        return Build(StatusCode.FailedPrecondition, ErrorReason.TitleAlreadyPledged,
            $"Already pledged under pledge {conflictingPledgeId} to {MemberName.Label(LedgerRefusals.Address(pledgee), pledgeeName)} " +
                $"until {metadata["expiry"]}; the attempt is recorded on chain.",
            metadata, null);
    }

    /// <summary>A pledge without the borrower's consent: INVALID_ARGUMENT naming the field.</summary>
    public static RpcException ConsentRequired() =>
        Build(StatusCode.InvalidArgument, ErrorReason.ConsentRequired,
            "consent: required: the holder's signed consent to this pledge (offshore trader consent)",
            NoMetadata, Violation("consent", "required: the holder's signed consent to this pledge"));

    /// <summary>A consent the node can tell is wrong before sending it (another bank, titles, terms, domain, signer).</summary>
    public static RpcException ConsentInvalid(string field, string description) =>
        Build(StatusCode.PermissionDenied, ErrorReason.ConsentInvalid, $"{field}: {description}", NoMetadata,
            Violation(field, description));

    /// <summary>A consent whose deadline has passed.</summary>
    public static RpcException ConsentExpired(DateTimeOffset deadline) =>
        Build(StatusCode.FailedPrecondition, ErrorReason.ConsentExpired,
            $"The consent lapsed at {LedgerRefusals.Time(deadline.ToUnixTimeSeconds())}; ask the holder for a fresh one.",
            new Dictionary<string, string> { ["deadline"] = LedgerRefusals.Time(deadline.ToUnixTimeSeconds()) },
            Violation("consent.deadline", "has passed"));

    private static BadRequest Violation(string field, string description) =>
        new() { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } };

    /// <summary>
    /// A governance step the node can tell the chain would refuse (not an admin, a stale, expired or executed proposal, an
    /// approval given twice or never given): the contract's reason, the field at fault, and what to do instead. Metadata
    /// is shown as for <see cref="Refused"/> (addresses EIP-55, times RFC 3339).
    /// </summary>
    public static RpcException GovernanceRefused(
        StatusCode code, ErrorReason reason, string field, string description, IReadOnlyDictionary<string, string>? metadata = null) =>
        Build(code, reason, $"{field}: {description}", LedgerRefusals.Metadata(metadata), Violation(field, description));

    public static RpcException Unauthenticated(string message) =>
        Build(StatusCode.Unauthenticated, ErrorReason.ApiKeyMissingOrUnknown, message, NoMetadata, null);

    public static RpcException PermissionDenied(string scope) =>
        Build(StatusCode.PermissionDenied, ErrorReason.ScopeMissing, $"This API key lacks the '{scope}' scope.",
            new Dictionary<string, string> { ["scope"] = scope }, null);

    public static RpcException RequestIdReused(string requestId) =>
        Build(StatusCode.AlreadyExists, ErrorReason.RequestIdReused, $"request_id '{requestId}' was already used for a different write.",
            NoMetadata, null);

    public static RpcException NotFound(ErrorReason reason, string message) =>
        Build(StatusCode.NotFound, reason, message, NoMetadata, null);

    public static RpcException Pending(ErrorReason reason, string message) =>
        Build(StatusCode.FailedPrecondition, reason, message, NoMetadata, null);

    /// <summary>
    /// A write the chain kept answering with an error: out of line until an admin retries it (the same request id then resumes it).
    /// </summary>
    public static RpcException DeadLettered(string requestId, int attempts, string lastFailure) =>
        Build(StatusCode.Unavailable, ErrorReason.WriteDeadLettered,
            $"The write could not be sent after {attempts} attempts ({Cut(lastFailure)}); an admin can retry it " +
                "(OutboxService.RetryWrite), then call again with the same request_id.",
            new Dictionary<string, string> { ["requestId"] = requestId,
                ["attempts"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture) }, null);

    public static RpcException Unavailable(string message) =>
        Build(StatusCode.Unavailable, ErrorReason.ChainUnavailable, message, NoMetadata, null);

    /// <summary>
    /// RESOURCE_EXHAUSTED for a caller over one of its limits, with <see cref="RetryInfo"/> saying when to try again.
    /// </summary>
    public static RpcException LimitExceeded(string limit, string message, TimeSpan retryAfter) =>
        Build(StatusCode.ResourceExhausted, ErrorReason.LimitExceeded, message, new Dictionary<string, string> { ["limit"] = limit }, null,
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) });

    /// <summary>RESOURCE_EXHAUSTED for a request message larger than its RPC takes, refused before it is parsed.</summary>
    public static RpcException MessageTooLarge(string method, int size, int maxBytes) =>
        Build(StatusCode.ResourceExhausted, ErrorReason.MessageTooLarge,
            $"The request of {size} bytes exceeds the maximum of {maxBytes} bytes that {method} takes.",
            new Dictionary<string, string> { ["max_bytes"] = maxBytes.ToString(CultureInfo.InvariantCulture) }, null);

    /// <summary>
    /// RESOURCE_EXHAUSTED ending a watch that fell too far behind the index: it names the last event the stream sent, so
    /// the caller resumes from that block (skipping what it already has) and misses nothing.
    /// </summary>
    public static RpcException WatcherTooSlow(int bufferEvents, ulong lastBlockDelivered, long lastLogIndexDelivered)
    {
        var metadata =
            new Dictionary<string, string> { ["last_block_delivered"] = lastBlockDelivered.ToString(CultureInfo.InvariantCulture) };
        if (lastLogIndexDelivered >= 0) metadata["last_log_index_delivered"] = lastLogIndexDelivered.ToString(CultureInfo.InvariantCulture);
        var resume = lastBlockDelivered == 0
            ? "watch again from the block you first asked for"
            : $"watch again from block {lastBlockDelivered} and skip the events you already have";
        return Build(StatusCode.ResourceExhausted, ErrorReason.WatcherTooSlow,
            $"This watcher fell more than {bufferEvents} events behind the node and was ended; {resume}.", metadata, null,
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.Zero) });
    }

    private static RpcException Build(
        StatusCode code, ErrorReason reason, string message, IReadOnlyDictionary<string, string> metadata, BadRequest? badRequest,
        RetryInfo? retry = null)
    {
        var info = new ErrorInfo { Reason = reason.Name(), Domain = Domain };
        foreach (var (key, value) in metadata) info.Metadata[key] = value;
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        if (badRequest is not null) status.Details.Add(Any.Pack(badRequest));
        if (retry is not null) status.Details.Add(Any.Pack(retry));
        return status.ToRpcException();
    }
}
