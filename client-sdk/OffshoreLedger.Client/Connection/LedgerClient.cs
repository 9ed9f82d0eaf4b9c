using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Keys;

namespace OffshoreLedger.Client.Connection;

/// <summary>
/// A typed, async client of one OffshoreLedger node. Every call takes a <see cref="CancellationToken"/>, has a
/// deadline, carries the API key, and fails with a typed <see cref="LedgerException"/> rather than a raw
/// <see cref="RpcException"/>. Calls are retried with backoff only when the node is unreachable; writes are safe
/// to retry because each carries a request id (one is assigned when the caller gives none).
/// </summary>
public sealed class LedgerClient : IDisposable
{
    private const string ApiKeyHeader = "x-api-key";

    private readonly GrpcChannel _channel;
    private readonly LedgerClientOptions _options;
    private readonly TitleService.TitleServiceClient _titles;
    private readonly AttestationService.AttestationServiceClient _attestations;
    private readonly DocumentService.DocumentServiceClient _documents;
    private readonly NodeService.NodeServiceClient _node;
    private readonly VerificationService.VerificationServiceClient _verification;
    private readonly OutboxService.OutboxServiceClient _outbox;
    private readonly GovernanceService.GovernanceServiceClient _governance;
    private readonly Health.HealthClient _health;

    /// <summary>Connects (lazily) to the node described by <paramref name="options"/>.</summary>
    /// <param name="options">Address, API key, deadline, retries and TLS handler.</param>
    public LedgerClient(LedgerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Refused here, before any connection exists, so the key never leaves this process.
        if (options.Address.Scheme == Uri.UriSchemeHttp && !string.IsNullOrEmpty(options.ApiKey) && !options.Address.IsLoopback
            && !options.AllowApiKeyOverPlaintext)
        {
            throw new PlaintextApiKeyException(options.Address);
        }
        if (options.HttpHandler is not null && options.CertificateAuthorityFile is not null)
        {
            throw new ArgumentException(
                "Give HttpHandler or CertificateAuthorityFile, not both: a handler of your own does its own certificate validation.",
                nameof(options));
        }
        _options = options;
        var retry = new MethodConfig
        {
            Names = { MethodName.Default },
            RetryPolicy = options.MaxAttempts <= 1 ? null : new RetryPolicy
            {
                MaxAttempts = Math.Min(options.MaxAttempts, 5),
                InitialBackoff = options.InitialBackoff,
                MaxBackoff = TimeSpan.FromSeconds(2),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        _channel = GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions
        {
            HttpHandler = options.HttpHandler
                ?? (options.CertificateAuthorityFile is { } ca ? CertificateAuthorityTrust.Handler(ca) : null),
            DisposeHttpClient = options.HttpHandler is null,
            ServiceConfig = new ServiceConfig { MethodConfigs = { retry } },
        });
        _titles = new TitleService.TitleServiceClient(_channel);
        _attestations = new AttestationService.AttestationServiceClient(_channel);
        _documents = new DocumentService.DocumentServiceClient(_channel);
        _node = new NodeService.NodeServiceClient(_channel);
        _verification = new VerificationService.VerificationServiceClient(_channel);
        _outbox = new OutboxService.OutboxServiceClient(_channel);
        _governance = new GovernanceService.GovernanceServiceClient(_channel);
        _health = new Health.HealthClient(_channel);
    }

    // ---- titles --------------------------------------------------------------------------------

    /// <summary>Registers a title from a bill of lading or precomputed keys.</summary>
    /// <param name="request">The registration; a request id is assigned if empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The title id, its keys and the write's receipt.</returns>
    public Task<RegisterTitleResponse> RegisterTitleAsync(RegisterTitleRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.RequestId)) request.RequestId = NewRequestId();
        return CallAsync(o => _titles.RegisterTitleAsync(request, o), cancellationToken);
    }

    /// <summary>Asks whether titles, keys or documents are registered, live, pledged or burned.</summary>
    /// <param name="request">What to check, and from where (index or chain head).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// Each title's and key's standing, and whether all are clear. <c>AsOf</c> names the block the answer reflects; an
    /// answer from the node's index keeps coming while the chain is away, with <c>AsOf.Stale</c> set once the node can no
    /// longer vouch that it is current (<c>AsOf.SyncedAt</c>: when it last could). Ask with
    /// <see cref="Consistency.ChainHead"/> to refuse anything but the chain's current state.
    /// </returns>
    public Task<CheckCollateralResponse> CheckCollateralAsync(
        CheckCollateralRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(o => _titles.CheckCollateralAsync(request, o), cancellationToken);

    /// <summary>
    /// Checks documents without sending them: their collateral keys are derived here, with the consortium secret,
    /// and only the keys go to the node.
    /// </summary>
    /// <param name="documents">The documents to check, e.g. a B/L and invoices a trader offers as collateral.</param>
    /// <param name="keys">A deriver holding the consortium secret.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The standing of every key of the documents.</returns>
    public Task<CheckCollateralResponse> CheckDocumentsLocallyAsync(
        IEnumerable<ITradeDocument> documents, CollateralKeyDeriver keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var request = new CheckCollateralRequest();
        request.Keys.AddRange(
            documents.SelectMany(keys.KeysFor).Where(k => k.Kind != Keys.CollateralKeyKind.ShipmentLot).Select(TradeDocuments.KeyBytes));
        return CheckCollateralAsync(request, cancellationToken);
    }

    /// <summary>Pledges titles, keys or documents to the calling bank, all or none.</summary>
    /// <param name="request">The pledge; a request id is assigned if empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pledge id and receipt.</returns>
    /// <exception cref="TitleAlreadyPledgedException">Something in it is already pledged; the attempt is recorded.</exception>
    /// <exception cref="PledgeConsentException">No consent, or one that is invalid, expired or used.</exception>
    public Task<PledgeResponse> PledgeAsync(PledgeRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.RequestId)) request.RequestId = NewRequestId();
        return CallAsync(o => _titles.PledgeAsync(request, o), cancellationToken);
    }

    /// <summary>
    /// Asks the holder's own node to sign its organisation's consent to one bank's pledge of exactly these titles and keys;
    /// hand the result to the bank, whose <see cref="PledgeAsync"/> carries it in <c>PledgeRequest.consent</c>.
    /// </summary>
    /// <param name="request">The bank, titles, keys, expiry and optional deadline and financing commitment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed consent, every field shown back.</returns>
    public Task<SignPledgeConsentResponse> SignPledgeConsentAsync(
        SignPledgeConsentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(o => _titles.SignPledgeConsentAsync(request, o), cancellationToken);

    /// <summary>Releases some or all units of a pledge.</summary>
    /// <param name="request">The release; a request id is assigned if empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The write's receipt.</returns>
    public Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.RequestId)) request.RequestId = NewRequestId();
        return CallAsync(o => _titles.ReleaseAsync(request, o), cancellationToken);
    }

    /// <summary>Endorses a title to a new holder.</summary>
    /// <param name="request">The transfer; a request id is assigned if empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The write's receipt.</returns>
    public Task<TransferTitleResponse> TransferTitleAsync(TransferTitleRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.RequestId)) request.RequestId = NewRequestId();
        return CallAsync(o => _titles.TransferTitleAsync(request, o), cancellationToken);
    }

    /// <summary>Surrenders an accomplished title; its keys are burned.</summary>
    /// <param name="request">The surrender; a request id is assigned if empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The write's receipt.</returns>
    public Task<SurrenderTitleResponse> SurrenderTitleAsync(SurrenderTitleRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.RequestId)) request.RequestId = NewRequestId();
        return CallAsync(o => _titles.SurrenderTitleAsync(request, o), cancellationToken);
    }

    /// <summary>
    /// Every event of one collateral key (32 bytes), oldest first: those of its title, and each pledge, release and
    /// blocked pledge attempt that named the key, also on the key alone. A key never named has none.
    /// </summary>
    /// <param name="key">The collateral key, 32 bytes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The history.</returns>
    public Task<GetKeyHistoryResponse> GetKeyHistoryAsync(byte[] key, CancellationToken cancellationToken = default) =>
        CallAsync(
            o => _titles.GetKeyHistoryAsync(new GetKeyHistoryRequest { Key = Google.Protobuf.ByteString.CopyFrom(key) }, o),
            cancellationToken);

    /// <summary>Every event of one title, oldest first.</summary>
    /// <param name="titleId">The title.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The history.</returns>
    public Task<GetTitleHistoryResponse> GetTitleHistoryAsync(ulong titleId, CancellationToken cancellationToken = default) =>
        CallAsync(o => _titles.GetTitleHistoryAsync(new GetTitleHistoryRequest { TitleId = titleId }, o), cancellationToken);

    /// <summary>Title events as the node indexes them, until cancelled.</summary>
    /// <param name="fromBlock">Replay from this block first (0: only new events).</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The events.</returns>
    /// <exception cref="WatcherTooSlowException">The caller read too slowly and the node ended the stream; resume from its
    /// <see cref="WatcherTooSlowException.LastBlockDelivered"/> (nothing is ever skipped silently).</exception>
    /// <exception cref="LedgerLimitExceededException">The caller already has as many watchers open as the node allows.</exception>
    public async IAsyncEnumerable<TitleEvent> WatchTitleEventsAsync(
        ulong fromBlock = 0, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var call = _titles.WatchTitleEvents(
            new WatchTitleEventsRequest { FromBlock = fromBlock }, new CallOptions(Headers(), cancellationToken: cancellationToken));
        while (true)
        {
            TitleEvent next;
            try
            {
                if (!await call.ResponseStream.MoveNext(cancellationToken)) yield break;
                next = call.ResponseStream.Current.Event;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            catch (RpcException ex)
            {
                throw LedgerException.From(ex);
            }
            yield return next;
        }
    }

    // ---- attestations and documents -------------------------------------------------------------

    /// <summary>Publishes a port's loading attestation.</summary>
    /// <param name="request">The attestation; a request id is assigned if empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lot key, whether it revealed over-issue, and the receipt.</returns>
    public Task<PublishLoadingAttestationResponse> PublishLoadingAttestationAsync(
        PublishLoadingAttestationRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.RequestId)) request.RequestId = NewRequestId();
        return CallAsync(o => _attestations.PublishLoadingAttestationAsync(request, o), cancellationToken);
    }

    /// <summary>Loading attestations by lot key or title.</summary>
    /// <param name="request">The lots or titles.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attestations.</returns>
    public Task<ListLoadingAttestationsResponse> ListLoadingAttestationsAsync(
        ListLoadingAttestationsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(o => _attestations.ListLoadingAttestationsAsync(request, o), cancellationToken);

    /// <summary>Anchors documents (kept by the node) or document hashes in the next Merkle batch.</summary>
    /// <param name="request">The documents; a request id is assigned if empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The hashes, the batch root and the receipt.</returns>
    public Task<AnchorDocumentsResponse> AnchorDocumentsAsync(AnchorDocumentsRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(request.RequestId)) request.RequestId = NewRequestId();
        return CallAsync(o => _documents.AnchorDocumentsAsync(request, o), cancellationToken);
    }

    /// <summary>The inclusion proof of a document this node anchored.</summary>
    /// <param name="documentHash">The document's SHA-256 canonical hash.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The root and proof.</returns>
    public Task<GetDocumentProofResponse> GetDocumentProofAsync(byte[] documentHash, CancellationToken cancellationToken = default) =>
        CallAsync(
            o => _documents.GetDocumentProofAsync(
                new GetDocumentProofRequest { DocumentHash = Google.Protobuf.ByteString.CopyFrom(documentHash) }, o), cancellationToken);

    /// <summary>Whether a document is anchored, by whom and when.</summary>
    /// <param name="request">The document or hash, and optionally the proof its owner handed over.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The verdict and its evidence.</returns>
    public Task<VerifyDocumentResponse> VerifyDocumentAsync(VerifyDocumentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(o => _documents.VerifyDocumentAsync(request, o), cancellationToken);

    // ---- verification --------------------------------------------------------------------------

    /// <summary>
    /// Verifies an offshore resale's three flows (invoices, B/L and port attestation, settlements) against each other
    /// and the ledger. Read-only.
    /// </summary>
    /// <param name="request">The trade's documents (or their hashes and keys).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The verdict, with every check's outcome, reason and evidence.</returns>
    public Task<VerifyTradeResponse> VerifyTradeAsync(VerifyTradeRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(o => _verification.VerifyTradeAsync(request, o), cancellationToken);

    // ---- node --------------------------------------------------------------------------------------

    /// <summary>Who the node is and how far it has synced.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The node's information.</returns>
    public Task<GetNodeInfoResponse> GetNodeInfoAsync(CancellationToken cancellationToken = default) =>
        CallAsync(o => _node.GetNodeInfoAsync(new GetNodeInfoRequest(), o), cancellationToken);

    /// <summary>The consortium's members with the display names and LEIs governance recorded (read scope).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every member by index, as the node's index knows them.</returns>
    public Task<GetMemberDirectoryResponse> GetMemberDirectoryAsync(CancellationToken cancellationToken = default) =>
        CallAsync(o => _node.GetMemberDirectoryAsync(new GetMemberDirectoryRequest(), o), cancellationToken);

    /// <summary>The node's unfinished writes (needs an admin key): dead-lettered ones, or every one still in line.</summary>
    /// <param name="filter">Which writes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The writes, newest first.</returns>
    public Task<ListWritesResponse> ListWritesAsync(WriteFilter filter, CancellationToken cancellationToken = default) =>
        CallAsync(o => _outbox.ListWritesAsync(new ListWritesRequest { Filter = filter }, o), cancellationToken);

    /// <summary>Puts a dead-lettered write back in line (needs an admin key); it resends the same transaction if it had one.</summary>
    /// <param name="requestId">The write's request id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The write as it now stands.</returns>
    public Task<RetryWriteResponse> RetryWriteAsync(string requestId, CancellationToken cancellationToken = default) =>
        CallAsync(o => _outbox.RetryWriteAsync(new RetryWriteRequest { RequestId = requestId }, o), cancellationToken);

    // ---- governance (an admin key, on an admin organisation's node) -------------------------------

    /// <summary>Every member ever enrolled, the admins, the threshold and the admin epoch, read at the chain head.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The consortium's members and governance settings.</returns>
    public Task<ListMembersResponse> ListMembersAsync(CancellationToken cancellationToken = default) =>
        CallAsync(o => _governance.ListMembersAsync(new ListMembersRequest(), o), cancellationToken);

    /// <summary>The carrier codes and UN/LOCODEs bound to members, at the chain head.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bindings.</returns>
    public Task<ListBindingsResponse> ListBindingsAsync(CancellationToken cancellationToken = default) =>
        CallAsync(o => _governance.ListBindingsAsync(new ListBindingsRequest(), o), cancellationToken);

    /// <summary>Proposals, newest first, with their approvals, deadline and state.</summary>
    /// <param name="openOnly">Only proposals that can still execute.</param>
    /// <param name="limit">At most this many (0: the node's maximum, 200).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The proposals.</returns>
    public Task<ListProposalsResponse> ListProposalsAsync(
        bool openOnly = false, uint limit = 0, CancellationToken cancellationToken = default) =>
        CallAsync(
            o => _governance.ListProposalsAsync(new ListProposalsRequest { OpenOnly = openOnly, Limit = limit }, o), cancellationToken);

    /// <summary>Proposes one governance change, signed by the node's organisation; its approval counts at once.</summary>
    /// <param name="request">The change; a request id is assigned if empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The proposal as it stands after the write, and the write's receipt.</returns>
    /// <exception cref="GovernanceRefusedException">The node's organisation is not an admin, or the change is invalid now.</exception>
    public Task<ProposeResponse> ProposeAsync(ProposeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.RequestId)) request.RequestId = NewRequestId();
        return CallAsync(o => _governance.ProposeAsync(request, o), cancellationToken);
    }

    /// <summary>Approves an open proposal as the node's organisation; the approval that reaches the threshold executes it.</summary>
    /// <param name="proposalId">The proposal.</param>
    /// <param name="requestId">The idempotency key; a new one if null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The proposal as it stands after the write (state EXECUTED once the threshold is met), and the receipt.</returns>
    /// <exception cref="GovernanceRefusedException">Not an admin; the proposal is unknown, stale, expired, executed or already approved by
    /// this organisation.</exception>
    public Task<ApproveResponse> ApproveAsync(ulong proposalId, string? requestId = null, CancellationToken cancellationToken = default) =>
        CallAsync(
            o => _governance.ApproveAsync(new ApproveRequest { ProposalId = proposalId, RequestId = requestId ?? NewRequestId() }, o),
            cancellationToken);

    /// <summary>
    /// Withdraws the node's organisation's approval of a proposal not executed yet (a queued correction that falls below the threshold is
    /// unqueued).
    /// </summary>
    /// <param name="proposalId">The proposal.</param>
    /// <param name="requestId">The idempotency key; a new one if null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The proposal as it stands after the write, and the receipt.</returns>
    /// <exception cref="GovernanceRefusedException">Not an admin; the proposal is unknown, stale or executed; this organisation never
    /// approved it (<c>NOT_APPROVED</c>).</exception>
    public Task<WithdrawApprovalResponse> WithdrawApprovalAsync(
        ulong proposalId, string? requestId = null, CancellationToken cancellationToken = default) =>
        CallAsync(
            o => _governance.WithdrawApprovalAsync(
                new WithdrawApprovalRequest { ProposalId = proposalId, RequestId = requestId ?? NewRequestId() }, o), cancellationToken);

    /// <summary>Executes a queued (time-locked) correction once its delay has passed.</summary>
    /// <param name="proposalId">The proposal.</param>
    /// <param name="requestId">The idempotency key; a new one if null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The proposal as it stands after the write, and the receipt.</returns>
    /// <exception cref="GovernanceRefusedException">Not an admin; no correction (<c>NOT_TIME_LOCKED</c>); too few approvals
    /// (<c>THRESHOLD_NOT_MET</c>); its delay not over (<c>TIME_LOCKED</c>, with <c>executableAt</c>).</exception>
    public Task<ExecuteProposalResponse> ExecuteProposalAsync(
        ulong proposalId, string? requestId = null, CancellationToken cancellationToken = default) =>
        CallAsync(
            o => _governance.ExecuteProposalAsync(
                new ExecuteProposalRequest { ProposalId = proposalId, RequestId = requestId ?? NewRequestId() }, o), cancellationToken);

    /// <summary>The standard gRPC health check (needs no API key).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the node reports it is serving.</returns>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(o => _health.CheckAsync(new HealthCheckRequest(), o), cancellationToken))
            .Status == HealthCheckResponse.Types.ServingStatus.Serving;

    /// <inheritdoc/>
    public void Dispose() => _channel.Dispose();

    private async Task<TResponse> CallAsync<TResponse>(
        Func<CallOptions, AsyncUnaryCall<TResponse>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(new CallOptions(Headers(), DateTime.UtcNow + _options.Deadline, cancellationToken));
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException ex)
        {
            throw LedgerException.From(ex);
        }
    }

    private Metadata Headers() => _options.ApiKey is { Length: > 0 } key ? new Metadata { { ApiKeyHeader, key } } : [];

    private static string NewRequestId() => Guid.NewGuid().ToString();
}
