using Google.Rpc;
using Grpc.Core;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Client.Connection;

/// <summary>
/// A call to a node that did not succeed, with the node's reason (its <c>google.rpc.ErrorInfo</c>) and, for bad
/// input, the fields at fault. Catch the subclasses to act on a particular refusal.
/// </summary>
public class LedgerException : Exception
{
    /// <summary>Creates the exception from the status a node answered with.</summary>
    /// <param name="status">The gRPC status code.</param>
    /// <param name="reason">The <c>ErrorInfo</c> reason, e.g. <c>TITLE_ALREADY_PLEDGED</c>; empty when the node gave none.</param>
    /// <param name="message">The node's message.</param>
    /// <param name="metadata">The <c>ErrorInfo</c> metadata.</param>
    /// <param name="inner">The underlying RPC exception.</param>
    public LedgerException(StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
        : base(message, inner)
    {
        Status = status;
        Reason = reason;
        ErrorReason = ErrorReasons.Parse(reason);
        Metadata = metadata;
    }

    /// <summary>The gRPC status code.</summary>
    public StatusCode Status { get; }

    /// <summary>The node's stable reason, e.g. <c>KEY_ALREADY_LIVE</c>: the name of an <see cref="Api.V1.ErrorReason"/> value.</summary>
    public string Reason { get; }

    /// <summary>
    /// <see cref="Reason"/> as the API's enum; <see cref="ErrorReason.Unspecified"/> when the node gave none or one this
    /// client does not know yet (a newer node), in which case <see cref="Reason"/> still has its name.
    /// </summary>
    public ErrorReason ErrorReason { get; }

    /// <summary>Details of the refusal, e.g. the conflicting pledge's id.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Maps an RPC failure to the most specific ledger exception for its reason.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The typed exception; never null.</returns>
    public static LedgerException From(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var status = exception.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        var reason = info?.Reason ?? "";
        var metadata = info?.Metadata.ToDictionary(m => m.Key, m => m.Value) ?? [];
        var message = status?.Message ?? exception.Status.Detail;
        var code = exception.StatusCode;
        if (reason.Length == 0 && TlsFailure(exception) is { } tls)
        {
            return new NodeUnavailableException(code, TlsHandshakeFailed,
                $"The TLS handshake with the node failed: {tls.Message} If the node's certificate comes from a private CA (e.g. the " +
                    "devnet's), "
                + $"give that CA's file ({nameof(LedgerClientOptions)}.{nameof(LedgerClientOptions.CertificateAuthorityFile)}; CLI " +
                    "--ca-file).", metadata, exception);
        }
        return ErrorReasons.Parse(reason) switch
        {
            ErrorReason.TitleAlreadyPledged or ErrorReason.KeyAlreadyPledged =>
                new TitleAlreadyPledgedException(code, reason, message, metadata, exception),
            ErrorReason.KeyAlreadyLive => new KeyAlreadyLiveException(code, reason, message, metadata, exception),
            ErrorReason.RequestIdReused => new RequestIdReusedException(code, reason, message, metadata, exception),
            ErrorReason.ConsentRequired or ErrorReason.ConsentInvalid or ErrorReason.ConsentExpired or ErrorReason.ConsentUsed =>
                new PledgeConsentException(
                code, reason, message, metadata, Violations(status), exception),
            ErrorReason.NotAnAdmin or ErrorReason.ProposalStale or ErrorReason.ProposalExpired or ErrorReason.ProposalNotFound
                or ErrorReason.ProposalAlreadyExecuted or ErrorReason.AlreadyApproved or ErrorReason.NotApproved
                    or ErrorReason.InvalidThreshold
                or ErrorReason.ThresholdNotMet or ErrorReason.TimeLocked or ErrorReason.NotTimeLocked => new GovernanceRefusedException(
                code, reason, message, metadata, Violations(status), exception),
            ErrorReason.KeyBurned => new KeyBurnedException(code, reason, message, metadata, exception),
            ErrorReason.LotOverIssued or ErrorReason.LotQuantityExceeded =>
                new LotOverIssuedException(code, reason, message, metadata, exception),
            ErrorReason.NotAMember or ErrorReason.MissingRole or ErrorReason.NotHolder or ErrorReason.NotPledgee or ErrorReason.ScopeMissing
                => new LedgerPermissionException(code, reason, message, metadata, exception),
            ErrorReason.WatcherTooSlow => new WatcherTooSlowException(code, reason, message, metadata, exception),
            ErrorReason.LimitExceeded or ErrorReason.MessageTooLarge => new LedgerLimitExceededException(
                code, reason, message, metadata, status?.GetDetail<RetryInfo>()?.RetryDelay?.ToTimeSpan(), exception),
            _ => code switch
            {
                StatusCode.InvalidArgument =>
                    new InvalidLedgerRequestException(code, reason, message, metadata, Violations(status), exception),
                StatusCode.Unauthenticated => new LedgerAuthenticationException(code, reason, message, metadata, exception),
                StatusCode.PermissionDenied => new LedgerPermissionException(code, reason, message, metadata, exception),
                StatusCode.NotFound => new LedgerNotFoundException(code, reason, message, metadata, exception),
                StatusCode.Unavailable or StatusCode.DeadlineExceeded =>
                    new NodeUnavailableException(code, reason, message, metadata, exception),
                _ => new LedgerRefusedException(code, reason, message, metadata, exception),
            },
        };
    }

    private static List<RequestFieldViolation> Violations(Google.Rpc.Status? status) =>
        status?.GetDetail<BadRequest>()?.FieldViolations.Select(v => new RequestFieldViolation(v.Field, v.Description)).ToList() ?? [];

    /// <summary>The reason given to a call that failed at the TLS handshake (the client's own, not the node's).</summary>
    public const string TlsHandshakeFailed = "TLS_HANDSHAKE_FAILED";

    private static System.Security.Authentication.AuthenticationException? TlsFailure(RpcException exception)
    {
        for (var inner = exception.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException tls) return tls;
        }
        return null;
    }
}

/// <summary>The ledger refused the request on its rules (FAILED_PRECONDITION, ALREADY_EXISTS and the like).</summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public class LedgerRefusedException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerException(status, reason, message, metadata, inner);

/// <summary>Something asked for is already under another financing: who holds it and until when.</summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class TitleAlreadyPledgedException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerRefusedException(status, reason, message, metadata, inner)
{
    /// <summary>The existing pledge's id, when the node reported it.</summary>
    public ulong? PledgeId => Metadata.TryGetValue("pledgeId", out var v) && ulong.TryParse(v, out var id) ? id : null;

    /// <summary>The bank holding the existing pledge (0x address), when reported.</summary>
    public string? Pledgee => Metadata.GetValueOrDefault("pledgee");

    /// <summary>The pledgee's display name as governance recorded it, when the node knows one.</summary>
    public string? PledgeeName => Metadata.GetValueOrDefault("pledgeeName");

    /// <summary>When the existing pledge expires, when reported (RFC 3339; unix seconds from nodes before the enum reasons).</summary>
    public DateTimeOffset? ExpiresAt => !Metadata.TryGetValue("expiry", out var v) ? null
        : long.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(s)
        : DateTimeOffset.TryParse(
            v, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t
        : null;
}

/// <summary>
/// A pledge without the holder's consent (<c>CONSENT_REQUIRED</c>), with one that is not the holder's signature for this
/// bank, units, terms, chain and contract (<c>CONSENT_INVALID</c>), past its deadline (<c>CONSENT_EXPIRED</c>) or
/// already used (<c>CONSENT_USED</c>): <see cref="LedgerException.Reason"/> says which.
/// </summary>
public sealed class PledgeConsentException : LedgerRefusedException
{
    /// <summary>Creates the exception with the fields the node named, if any.</summary>
    /// <param name="status">The gRPC status code.</param>
    /// <param name="reason">The <c>ErrorInfo</c> reason.</param>
    /// <param name="message">The node's message.</param>
    /// <param name="metadata">The <c>ErrorInfo</c> metadata.</param>
    /// <param name="violations">The consent's fields at fault, when the node named them.</param>
    /// <param name="inner">The underlying RPC exception.</param>
    public PledgeConsentException(
        StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata,
        IReadOnlyList<RequestFieldViolation> violations, Exception? inner)
        : base(status, reason, message, metadata, inner) => Violations = violations;

    /// <summary>The consent's fields at fault, when the node named them.</summary>
    public IReadOnlyList<RequestFieldViolation> Violations { get; }
}

/// <summary>
/// A governance step the consortium's rules refuse: the node's organisation is not an admin (<c>NOT_AN_ADMIN</c>), the
/// proposal is stale, expired, unknown or executed, the approval was already given or never given, the threshold is
/// invalid or not met, or a correction is executed before its time lock ends or is no correction at all.
/// </summary>
public sealed class GovernanceRefusedException : LedgerRefusedException
{
    /// <summary>Creates the exception with the fields the node named, if any.</summary>
    /// <param name="status">The gRPC status code.</param>
    /// <param name="reason">The <c>ErrorInfo</c> reason.</param>
    /// <param name="message">The node's message.</param>
    /// <param name="metadata">The <c>ErrorInfo</c> metadata.</param>
    /// <param name="violations">The request's fields at fault, when the node named them.</param>
    /// <param name="inner">The underlying RPC exception.</param>
    public GovernanceRefusedException(
        StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata,
        IReadOnlyList<RequestFieldViolation> violations, Exception? inner)
        : base(status, reason, message, metadata, inner) => Violations = violations;

    /// <summary>The request's fields at fault, when the node named them.</summary>
    public IReadOnlyList<RequestFieldViolation> Violations { get; }
}

/// <summary>A key is already in a live title: a second title for the same cargo.</summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class KeyAlreadyLiveException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerRefusedException(status, reason, message, metadata, inner);

/// <summary>
/// The request_id was already used for a write with different content (<c>REQUEST_ID_REUSED</c>): choose a new id for a
/// new write. Not the same as <see cref="KeyAlreadyLiveException"/>, which is the ledger refusing a second title for a
/// key, though both travel as ALREADY_EXISTS.
/// </summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class RequestIdReusedException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerRefusedException(status, reason, message, metadata, inner);

/// <summary>A key belongs to a surrendered title and can never be used again.</summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class KeyBurnedException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerRefusedException(status, reason, message, metadata, inner);

/// <summary>The lot's titles exceed, or would exceed, the port's attested quantity.</summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class LotOverIssuedException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerRefusedException(status, reason, message, metadata, inner);

/// <summary>The caller may not do this: API key scope, consortium membership or role, holder or pledgee.</summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class LedgerPermissionException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerException(status, reason, message, metadata, inner);

/// <summary>No or an unknown API key.</summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class LedgerAuthenticationException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerException(status, reason, message, metadata, inner);

/// <summary>The title, document or proof asked for does not exist.</summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class LedgerNotFoundException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerException(status, reason, message, metadata, inner);

/// <summary>The node could not be reached, or did not answer in time (after retries, where retrying is safe).</summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class NodeUnavailableException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerException(status, reason, message, metadata, inner);

/// <summary>
/// The caller is over one of the node's limits: its calls per second or calls at once (<c>LIMIT_EXCEEDED</c>, with the
/// limit in <see cref="LedgerException.Metadata"/> under <c>limit</c>), its watchers, or the size of a request
/// (<c>MESSAGE_TOO_LARGE</c>). Retry after <see cref="RetryAfter"/> when the node gave one.
/// </summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class LedgerLimitExceededException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, TimeSpan? retryAfter, Exception? inner)
    : LedgerException(status, reason, message, metadata, inner)
{
    /// <summary>How long the node asks the caller to wait before trying again; null when it gave no time.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// A watch fell further behind the node than its buffer holds and was ended (<c>WATCHER_TOO_SLOW</c>). Nothing was
/// skipped: watch again from <see cref="LastBlockDelivered"/> and drop the events already received (at or before that
/// block and <see cref="LastLogIndexDelivered"/>).
/// </summary>
/// <inheritdoc cref="LedgerException(StatusCode, string, string, IReadOnlyDictionary{string, string}, Exception?)"/>
public sealed class WatcherTooSlowException(
    StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata, Exception? inner)
    : LedgerException(status, reason, message, metadata, inner)
{
    /// <summary>The block of the last event the stream sent; 0 when it sent none.</summary>
    public ulong LastBlockDelivered { get; } =
        metadata.TryGetValue("last_block_delivered", out var block)
            && ulong.TryParse(block, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;

    /// <summary>The log index of the last event the stream sent; null when it sent none.</summary>
    public long? LastLogIndexDelivered { get; } =
        metadata.TryGetValue("last_log_index_delivered", out var log)
            && long.TryParse(log, System.Globalization.CultureInfo.InvariantCulture, out var index) ? index : null;
}

/// <summary>One field of a request that the node rejected, and why.</summary>
/// <param name="Field">The field's path, e.g. <c>bill_of_lading.json.containers[0].containerNumber</c>.</param>
/// <param name="Description">Why it was rejected.</param>
public sealed record RequestFieldViolation(string Field, string Description);

/// <summary>The request was malformed; <see cref="Violations"/> names every field at fault.</summary>
public sealed class InvalidLedgerRequestException : LedgerException
{
    /// <summary>Creates the exception with the node's field violations.</summary>
    /// <param name="status">The gRPC status code.</param>
    /// <param name="reason">The <c>ErrorInfo</c> reason.</param>
    /// <param name="message">The node's message.</param>
    /// <param name="metadata">The <c>ErrorInfo</c> metadata.</param>
    /// <param name="violations">Every field at fault.</param>
    /// <param name="inner">The underlying RPC exception.</param>
    public InvalidLedgerRequestException(
        StatusCode status, string reason, string message, IReadOnlyDictionary<string, string> metadata,
        IReadOnlyList<RequestFieldViolation> violations, Exception? inner)
        : base(status, reason, message, metadata, inner) => Violations = violations;

    /// <summary>Every field at fault.</summary>
    public IReadOnlyList<RequestFieldViolation> Violations { get; }
}

/// <summary>
/// The client refused to send an API key in clear text to a host that is not loopback, before connecting: use an
/// <c>https://</c> address, or set <see cref="LedgerClientOptions.AllowApiKeyOverPlaintext"/> for a network you trust.
/// </summary>
public sealed class PlaintextApiKeyException : InvalidOperationException
{
    /// <summary>Creates the refusal for <paramref name="address"/>.</summary>
    /// <param name="address">The plaintext address the key would have gone to.</param>
    public PlaintextApiKeyException(Uri address)
        : base($"Refusing to send the API key in clear text to {address}, which is not a loopback address: use an https:// address "
            + "(the node serves TLS off loopback), or set " +
                $"{nameof(LedgerClientOptions)}.{nameof(LedgerClientOptions.AllowApiKeyOverPlaintext)} "
            + "(CLI: --allow-plaintext-api-key) if the network is trusted.")
    {
        Address = address;
    }

    /// <summary>The refused address.</summary>
    public Uri Address { get; }
}
