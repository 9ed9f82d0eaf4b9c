using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using OffshoreLedger.Contracts.Replay;

namespace OffshoreLedger.Node.Errors;

/// <summary>
/// The one place that turns failures into gRPC statuses with <c>google.rpc.Status</c> details (AIP-193):
/// an <see cref="ErrorInfo"/> with a stable reason, and for bad input a <see cref="BadRequest"/> naming each field.
/// </summary>
public static partial class RpcErrors
{
    public const string Domain = "offshore-ledger.v1";

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <summary>Contract errors whose reason or status differs from the default (FAILED_PRECONDITION, SNAKE_CASE of the name).</summary>
    private static readonly Dictionary<string, (StatusCode Code, string Reason)> ContractErrors = new()
    {
        ["KeyAlreadyLive"] = (StatusCode.AlreadyExists, "KEY_ALREADY_LIVE"),
        ["KeyPledged"] = (StatusCode.FailedPrecondition, "KEY_ALREADY_PLEDGED"),
        ["TitlePledged"] = (StatusCode.FailedPrecondition, "TITLE_ALREADY_PLEDGED"),
        ["LotOverIssuedError"] = (StatusCode.FailedPrecondition, "LOT_OVER_ISSUED"),
        ["UnknownTitle"] = (StatusCode.NotFound, "TITLE_NOT_FOUND"),
        ["NotMember"] = (StatusCode.PermissionDenied, "NOT_A_MEMBER"),
        ["MissingRole"] = (StatusCode.PermissionDenied, "MISSING_ROLE"),
        ["NotHolder"] = (StatusCode.PermissionDenied, "NOT_HOLDER"),
        ["NotPledgee"] = (StatusCode.PermissionDenied, "NOT_PLEDGEE"),
        ["LotAlreadyAttested"] = (StatusCode.AlreadyExists, "LOT_ALREADY_ATTESTED"),
        ["AnchorExists"] = (StatusCode.AlreadyExists, "ANCHOR_EXISTS"),
        // A consent that is not this pledge's holder's signature for this bank, titles, keys, terms, chain and contract.
        ["ConsentInvalid"] = (StatusCode.PermissionDenied, ConsentInvalidReason),
        ["ConsentNotFromHolder"] = (StatusCode.PermissionDenied, ConsentInvalidReason),
        ["BorrowerNotTrader"] = (StatusCode.PermissionDenied, ConsentInvalidReason),
        ["ConsentExpired"] = (StatusCode.FailedPrecondition, ConsentExpiredReason),
        ["ConsentUsed"] = (StatusCode.FailedPrecondition, "CONSENT_USED"),
        ["PledgeTermTooLong"] = (StatusCode.InvalidArgument, "PLEDGE_TERM_TOO_LONG"),
        ["EnforcementNotComplete"] = (StatusCode.FailedPrecondition, "ENFORCEMENT_NOT_COMPLETE"),
        // Governance: the typed refusals an admin meets (GovernanceService).
        ["NotAdmin"] = (StatusCode.PermissionDenied, NotAnAdminReason),
        ["UnknownProposal"] = (StatusCode.NotFound, "PROPOSAL_NOT_FOUND"),
        ["AlreadyApproved"] = (StatusCode.AlreadyExists, "ALREADY_APPROVED"),
        ["InvalidThreshold"] = (StatusCode.InvalidArgument, "INVALID_THRESHOLD"),
    };

    public const string NotAnAdminReason = "NOT_AN_ADMIN";

    public const string ConsentRequiredReason = "CONSENT_REQUIRED", ConsentInvalidReason = "CONSENT_INVALID", ConsentExpiredReason = "CONSENT_EXPIRED";

    /// <summary>
    /// How much of a request an error echoes. A status travels in HTTP/2 trailers, which clients cap (64 KB in .NET); a
    /// larger one fails the caller's whole connection, not just the call, so a violation quoting a 200 KB value or a
    /// request with thousands of bad keys must not be echoed in full.
    /// </summary>
    private const int MaxViolations = 50, MaxViolationsInMessage = 10, MaxTextLength = 200;

    /// <summary>INVALID_ARGUMENT naming every field at fault (the first <see cref="MaxViolations"/>, each cut to a readable length).</summary>
    public static RpcException InvalidArgument(IReadOnlyCollection<(string Field, string Description)> violations)
    {
        var shown = violations.Take(MaxViolations).Select(v => (Field: Cut(v.Field), Description: Cut(v.Description))).ToList();
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(shown.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var summary = string.Join("; ", shown.Take(MaxViolationsInMessage).Select(v => $"{v.Field}: {v.Description}"));
        if (violations.Count > MaxViolationsInMessage) summary += $"; and {violations.Count - MaxViolationsInMessage} more";
        return Build(StatusCode.InvalidArgument, "INVALID_ARGUMENT", summary, NoMetadata, badRequest);
    }

    private static string Cut(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength] + "…";

    /// <summary>INVALID_ARGUMENT for a request body that is not a message of the RPC's type at all.</summary>
    public static RpcException MalformedMessage(string method, string problem) =>
        Build(StatusCode.InvalidArgument, "MALFORMED_MESSAGE", $"The request is not a message for {method}: {problem}", NoMetadata, null);

    /// <summary>The contract's refusal, with its arguments as metadata.</summary>
    public static RpcException Refused(string errorName, IReadOnlyDictionary<string, string>? arguments)
    {
        var (code, reason) = ContractErrors.TryGetValue(errorName, out var mapped)
            ? mapped
            : (StatusCode.FailedPrecondition, SnakeCase(errorName));
        var detail = arguments is { Count: > 0 } ? $" ({string.Join(", ", arguments.Select(a => $"{a.Key}={a.Value}"))})" : "";
        return Build(code, reason, $"The ledger refused: {errorName}{detail}", arguments ?? new Dictionary<string, string>(), null);
    }

    /// <summary>A pledge blocked by an existing financing: who holds it (by name, and address) and until when.</summary>
    public static RpcException AlreadyPledged(ulong conflictingPledgeId, string pledgee, MemberName? pledgeeName, ulong expiry)
    {
        var metadata = new Dictionary<string, string>
        {
            ["pledgeId"] = conflictingPledgeId.ToString(),
            ["pledgee"] = pledgee,
            ["expiry"] = expiry.ToString(),
        };
        if (pledgeeName is not null) metadata["pledgeeName"] = pledgeeName.Name;
        return Build(StatusCode.FailedPrecondition, "TITLE_ALREADY_PLEDGED",
            $"Already pledged under pledge {conflictingPledgeId} to {MemberName.Label(pledgee, pledgeeName)} until {DateTimeOffset.FromUnixTimeSeconds((long)expiry):u}; the attempt is recorded on chain.",
            metadata, null);
    }

    /// <summary>A pledge without the borrower's consent: INVALID_ARGUMENT naming the field.</summary>
    public static RpcException ConsentRequired() =>
        Build(StatusCode.InvalidArgument, ConsentRequiredReason, "consent: required: the holder's signed consent to this pledge (offshore trader consent)",
            NoMetadata, Violation("consent", "required: the holder's signed consent to this pledge"));

    /// <summary>A consent the node can tell is wrong before sending it (another bank, titles, terms, domain, signer).</summary>
    public static RpcException ConsentInvalid(string field, string description) =>
        Build(StatusCode.PermissionDenied, ConsentInvalidReason, $"{field}: {description}", NoMetadata, Violation(field, description));

    /// <summary>A consent whose deadline has passed.</summary>
    public static RpcException ConsentExpired(DateTimeOffset deadline) =>
        Build(StatusCode.FailedPrecondition, ConsentExpiredReason, $"The consent lapsed at {deadline:u}; ask the holder for a fresh one.",
            new Dictionary<string, string> { ["deadline"] = deadline.ToUnixTimeSeconds().ToString() }, Violation("consent.deadline", "has passed"));

    private static BadRequest Violation(string field, string description) =>
        new() { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } };

    /// <summary>
    /// A governance step the node can tell the chain would refuse (not an admin, a stale, expired or executed proposal, an
    /// approval given twice or never given): the contract's reason, the field at fault, and what to do instead.
    /// </summary>
    public static RpcException GovernanceRefused(StatusCode code, string reason, string field, string description, IReadOnlyDictionary<string, string>? metadata = null) =>
        Build(code, reason, $"{field}: {description}", metadata ?? NoMetadata, Violation(field, description));

    public static RpcException Unauthenticated(string message) => Build(StatusCode.Unauthenticated, "API_KEY_MISSING_OR_UNKNOWN", message, NoMetadata, null);

    public static RpcException PermissionDenied(string scope) =>
        Build(StatusCode.PermissionDenied, "SCOPE_MISSING", $"This API key lacks the '{scope}' scope.", new Dictionary<string, string> { ["scope"] = scope }, null);

    public static RpcException RequestIdReused(string requestId) =>
        Build(StatusCode.AlreadyExists, "REQUEST_ID_REUSED", $"request_id '{requestId}' was already used for a different write.", NoMetadata, null);

    public static RpcException NotFound(string reason, string message) => Build(StatusCode.NotFound, reason, message, NoMetadata, null);

    public static RpcException Pending(string reason, string message) => Build(StatusCode.FailedPrecondition, reason, message, NoMetadata, null);

    /// <summary>A write the chain kept answering with an error: out of line until an admin retries it (the same request id then resumes it).</summary>
    public static RpcException DeadLettered(string requestId, int attempts, string lastFailure) =>
        Build(StatusCode.Unavailable, "WRITE_DEAD_LETTERED",
            $"The write could not be sent after {attempts} attempts ({Cut(lastFailure)}); an admin can retry it (OutboxService.RetryWrite), then call again with the same request_id.",
            new Dictionary<string, string> { ["requestId"] = requestId, ["attempts"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture) }, null);

    public static RpcException Unavailable(string message) => Build(StatusCode.Unavailable, "CHAIN_UNAVAILABLE", message, NoMetadata, null);

    /// <summary>
    /// RESOURCE_EXHAUSTED for a caller over one of its limits, with <see cref="RetryInfo"/> saying when to try again.
    /// </summary>
    public static RpcException LimitExceeded(string limit, string message, TimeSpan retryAfter) =>
        Build(StatusCode.ResourceExhausted, "LIMIT_EXCEEDED", message, new Dictionary<string, string> { ["limit"] = limit }, null,
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) });

    /// <summary>RESOURCE_EXHAUSTED for a request message larger than its RPC takes, refused before it is parsed.</summary>
    public static RpcException MessageTooLarge(string method, int size, int maxBytes) =>
        Build(StatusCode.ResourceExhausted, "MESSAGE_TOO_LARGE", $"The request of {size} bytes exceeds the maximum of {maxBytes} bytes that {method} takes.",
            new Dictionary<string, string> { ["max_bytes"] = maxBytes.ToString(CultureInfo.InvariantCulture) }, null);

    /// <summary>
    /// RESOURCE_EXHAUSTED ending a watch that fell too far behind the index: it names the last event the stream sent, so
    /// the caller resumes from that block (skipping what it already has) and misses nothing.
    /// </summary>
    public static RpcException WatcherTooSlow(int bufferEvents, ulong lastBlockDelivered, long lastLogIndexDelivered)
    {
        var metadata = new Dictionary<string, string> { ["last_block_delivered"] = lastBlockDelivered.ToString(CultureInfo.InvariantCulture) };
        if (lastLogIndexDelivered >= 0) metadata["last_log_index_delivered"] = lastLogIndexDelivered.ToString(CultureInfo.InvariantCulture);
        var resume = lastBlockDelivered == 0
            ? "watch again from the block you first asked for"
            : $"watch again from block {lastBlockDelivered} and skip the events you already have";
        return Build(StatusCode.ResourceExhausted, "WATCHER_TOO_SLOW",
            $"This watcher fell more than {bufferEvents} events behind the node and was ended; {resume}.", metadata, null,
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.Zero) });
    }

    private static RpcException Build(
        StatusCode code, string reason, string message, IReadOnlyDictionary<string, string> metadata, BadRequest? badRequest, RetryInfo? retry = null)
    {
        var info = new ErrorInfo { Reason = reason, Domain = Domain };
        foreach (var (key, value) in metadata) info.Metadata[key] = value;
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(info) } };
        if (badRequest is not null) status.Details.Add(Any.Pack(badRequest));
        if (retry is not null) status.Details.Add(Any.Pack(retry));
        return status.ToRpcException();
    }

    private static string SnakeCase(string name) => PascalBoundary().Replace(name, "_$1").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex PascalBoundary();
}
