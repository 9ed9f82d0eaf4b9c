using CollateralKey = OffshoreLedger.Client.Keys.CollateralKey;
using CollateralKeyKind = OffshoreLedger.Client.Keys.CollateralKeyKind;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Documents;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Limits;
using OffshoreLedger.Node.Writes;

namespace OffshoreLedger.Node.Titles;

/// <summary>
/// The titles API: validates and translates requests, then delegates: writes to the outbox, checks to
/// <see cref="CollateralStandings"/>, histories and watches to the index.
/// </summary>
public sealed partial class TitleGrpcService(
    LedgerIndex index, CollateralStandings standings, WriteSubmission writes, LedgerChain chain, DocumentIntake intake,
    PledgeConsents consents, FinancingCommitments commitments,
    WatcherSlots watchers, IOptions<LimitsOptions> limits, TimeProvider time, Sync.ChainFollower follower,
    IOptions<ChainOptions> chainOptions)
    : TitleService.TitleServiceBase
{
    public override async Task<RegisterTitleResponse> RegisterTitle(RegisterTitleRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        check.Address(request.Holder, "holder");
        List<(byte[] LotKey, ulong Quantity)> lots;
        string unit;
        string carrierCode = "";
        List<Api.V1.CollateralKey> keys;
        if (request.BillOfLading is not null)
        {
            if (!request.LotKey.IsEmpty || request.Keys.Count > 0 || request.Quantity != 0 || request.Unit.Length > 0
                || request.CarrierCode.Length > 0)
            {
                check.Add("bill_of_lading", "give either a bill of lading or precomputed lot_key, quantity, unit and keys, not both");
            }
            var accepted = intake.Accept(request.BillOfLading, "bill_of_lading", check.Violations);
            if (accepted is not null && accepted.Document is not BillOfLading) check.Add("bill_of_lading.type", "must be a bill of lading");
            (lots, unit) = accepted?.Document is BillOfLading bill ? TitleQuantities.Of(bill, accepted.Keys, check) : ([], "");
            if (accepted?.Document is BillOfLading issued) carrierCode = issued.CarrierCode;
            keys = accepted is null ? [] : [.. accepted.Keys.Where(k => k.Kind != CollateralKeyKind.ShipmentLot).Select(ToProto)];
        }
        else
        {
            check.Bytes32(request.LotKey, "lot_key");
            if (request.Quantity == 0) check.Add("quantity", "must be positive");
            check.Unit(request.Unit, "unit");
            if (request.Keys.Count == 0) check.Add("keys", "at least one key, or a bill_of_lading");
            check.Keys(request.Keys, "keys", max: 256);
            (lots, unit) = ([(request.LotKey.ToByteArray(), request.Quantity)], request.Unit);
            // Titles are issued by the carrier bound to the B/L's carrier code: precomputed values name it too.
            if (request.CarrierCode.Length == 0) check.Add(
                "carrier_code",
                "required with precomputed values: the B/L's carrier code (SCAC or SMDG) bound to this node's organisation");
            carrierCode = request.CarrierCode;
            keys = [.. request.Keys.Select(k => new Api.V1.CollateralKey { Value = k })];
        }
        check.ThrowIfAny();

        byte[] carrier;
        try
        {
            carrier = LedgerCode.ToBytes(carrierCode);
        }
        catch (ArgumentException)
        {
            var field = request.BillOfLading is null ? "carrier_code" : "bill_of_lading.json.carrierCode";
            throw RpcErrors.InvalidArgument([new(field, "must be 1 to 8 printable ASCII characters (a SCAC or SMDG code)")]);
        }
        var call = new RegisterTitleFunction
        {
            Issue = new TitleIssueData
            {
                CarrierCode = carrier, Holder = request.Holder, Unit = UnitCode.ToBytes(unit),
                Keys = [.. keys.Select(k => k.Value.ToByteArray())], LotKeys = [.. lots.Select(l => l.LotKey)],
                Quantities = [.. lots.Select(l => l.Quantity)],
            },
        };
        var (entry, events) = await writes.SubmitAsync(
            request.RequestId, "RegisterTitle", call, context.CallerName(), context.CancellationToken);
        var registered = events.OfType<TitleRegisteredEvent>().Single();
        var response = new RegisterTitleResponse { Receipt = WriteSubmission.Receipt(entry), TitleId = registered.TitleId };
        response.Keys.AddRange(keys);
        response.LotKeys.AddRange(lots.Select(l => ByteString.CopyFrom(l.LotKey)));
        return response;
    }

    public override async Task<CheckCollateralResponse> CheckCollateral(CheckCollateralRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.Keys(request.Keys, "keys");
        if (request.TitleIds.Count > RequestCheck.MaxKeys) check.Add("title_ids", $"at most {RequestCheck.MaxKeys} titles");
        if (request.TitleIds.Count + request.Keys.Count + request.Documents.Count == 0) check.Add(
            "keys", "ask about at least one title, key or document");
        check.Known(request.Consistency, "consistency", required: false);
        // Documents count by the keys they derive, as keys do: every derived key is an HMAC with the consortium secret
        // and a lookup, so a request of documents is capped like one of keys (and refused before more are derived).
        var keys = request.Keys.Select(k => new Api.V1.CollateralKey { Value = k }).ToList();
        if (request.Keys.Count + request.Documents.Count > RequestCheck.MaxKeys)
        {
            check.Add(
                "documents",
                $"at most {RequestCheck.MaxKeys} keys, counting those the documents derive; got {request.Keys.Count} keys and " +
                $"{request.Documents.Count} documents");
        }
        var documentsWithinCap = request.Keys.Count + request.Documents.Count <= RequestCheck.MaxKeys;
        for (var i = 0; i < request.Documents.Count && documentsWithinCap && keys.Count <= RequestCheck.MaxKeys; i++)
        {
            var accepted = intake.Accept(request.Documents[i], $"documents[{i}]", check.Violations);
            if (accepted is null) continue;
            keys.AddRange(accepted.Keys.Where(k => k.Kind != CollateralKeyKind.ShipmentLot).Select(ToProto));
            if (keys.Count > RequestCheck.MaxKeys)
            {
                check.Add(
                    "documents",
                    $"at most {RequestCheck.MaxKeys} keys, counting those the documents derive; the first {i + 1} documents and the keys " +
                    $"give {keys.Count}");
            }
        }
        check.ThrowIfAny();

        if (request.Consistency != Consistency.ChainHead) return standings.FromIndex(request.TitleIds, keys);
        try
        {
            return await standings.AtChainHeadAsync(request.TitleIds, keys);
        }
        catch (Exception ex) when (LedgerChain.IsUnreachable(ex))
        {
            throw RpcErrors.Unavailable("The chain is not answering, so its head cannot be read; the index still answers, stamped stale.");
        }
    }

    public override async Task<PledgeResponse> Pledge(PledgeRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        if (string.IsNullOrWhiteSpace(request.FinancingReference)) check.Add(
            "financing_reference", "required: the bank's own reference (only a keyed commitment to it goes on chain)");
        else check.Length(request.FinancingReference, "financing_reference", RequestCheck.MaxFinancingReferenceLength);
        var expiresAt = check.Time(request.ExpiresAt, "expires_at", required: false);
        check.Keys(request.Keys, "keys");
        var keys = request.Keys.Select(k => k.ToByteArray()).ToList();
        keys.AddRange(DocumentKeys(request.Documents, request.TitleIds.Count + request.Keys.Count, "pledge", check));
        if (request.TitleIds.Count + keys.Count > RequestCheck.MaxKeys) check.Add(
            "keys", $"at most {RequestCheck.MaxKeys} titles and keys in one pledge");
        var now = time.GetUtcNow();
        if (request.Consent is null)
        {
            // Without a consent the request must still say what it pledges and until when; a request that does is
            // refused for its missing consent alone (CONSENT_REQUIRED), one that does not names every field at fault.
            if (request.ExpiresAt is null) check.Add("expires_at", "required without a consent");
            else if (expiresAt <= now) check.Add("expires_at", "must be in the future");
            if (request.TitleIds.Count + keys.Count == 0) check.Add("title_ids", "pledge at least one title, key or document");
            if (check.Violations.Count == 0) throw RpcErrors.ConsentRequired();
            check.Add("consent", "required: the holder's signed consent to this pledge");
        }
        check.ThrowIfAny();

        var terms = consents.Accept(request.Consent!, now);
        // What the bank names itself must be what the holder signed: the same units in the same order, the same expiry.
        if (request.TitleIds.Count + keys.Count > 0
            && (!request.TitleIds.SequenceEqual(terms.TitleIds) || !keys.Select(Hex.Of).SequenceEqual(terms.Keys.Select(Hex.Of))))
        {
            throw RpcErrors.ConsentInvalid("title_ids", "the titles and keys must be exactly the consent's, in its order (or left out)");
        }
        if (expiresAt is { } asked && asked.ToUnixTimeSeconds() != (long)terms.Expiry)
        {
            throw RpcErrors.ConsentInvalid("expires_at", "must be the consent's expiry (or left out)");
        }
        if ((long)terms.Expiry <= now.ToUnixTimeSeconds()) throw RpcErrors.InvalidArgument(
            [("consent.expires_at", "must be in the future")]);
        var commitment = commitments.Commit(request.FinancingReference);
        if (terms.FinancingCommitment.Any(b => b != 0) && !terms.FinancingCommitment.AsSpan().SequenceEqual(commitment))
        {
            throw RpcErrors.ConsentInvalid("financing_reference", "the consent commits to another financing reference");
        }

        var call = new PledgeFunction
        {
            FinancingReference = commitment,
            Expiry = terms.Expiry,
            TitleIds = [.. terms.TitleIds],
            Keys = [.. terms.Keys],
            Consent = Contracts.Consent.PledgeConsent.Argument(terms, request.Consent!.Signature.ToByteArray()),
        };
        var (entry, events) = await writes.SubmitAsync(request.RequestId, "Pledge", call, context.CallerName(), context.CancellationToken);
        if (events.OfType<PledgeBlockedEvent>().SingleOrDefault() is { } blocked)
        {
            var (holder, name) = index.Read((ledger, _) =>
            {
                var conflicting = HolderOfPledge(ledger, blocked);
                return (conflicting, ledger.NameOf(conflicting.Pledgee));
            });
            throw RpcErrors.AlreadyPledged(blocked.ConflictingPledgeId, holder.Pledgee, name, holder.Expiry);
        }
        return new PledgeResponse { Receipt = WriteSubmission.Receipt(entry), PledgeId = events.OfType<PledgedEvent>().Single().PledgeId };
    }

    /// <summary>
    /// The keys a pledge's or release's documents derive, through the one document intake (shipment lot keys are never
    /// pledged): <paramref name="alreadyNamed"/> titles and keys plus the documents may not exceed the request cap.
    /// </summary>
    private List<byte[]> DocumentKeys(
        Google.Protobuf.Collections.RepeatedField<TradeDocument> documents, int alreadyNamed, string write, RequestCheck check)
    {
        var keys = new List<byte[]>();
        if (alreadyNamed + documents.Count > RequestCheck.MaxKeys)
        {
            check.Add("documents", $"at most {RequestCheck.MaxKeys} titles and keys in one {write}, counting those the documents derive");
            return keys;
        }
        for (var i = 0; i < documents.Count; i++)
        {
            var accepted = intake.Accept(documents[i], $"documents[{i}]", check.Violations);
            if (accepted is not null) keys.AddRange(
                accepted.Keys.Where(k => k.Kind != CollateralKeyKind.ShipmentLot).Select(k => k.Value.ToArray()));
        }
        return keys;
    }

    public override async Task<ReleaseResponse> Release(ReleaseRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        if (request.PledgeId == 0) check.Add("pledge_id", "required");
        if (request.TitleIds.Count > RequestCheck.MaxKeys) check.Add("title_ids", $"at most {RequestCheck.MaxKeys} titles");
        check.Keys(request.Keys, "keys");
        var keys = request.Keys.Select(k => k.ToByteArray()).ToList();
        keys.AddRange(DocumentKeys(request.Documents, request.TitleIds.Count + request.Keys.Count, "release", check));
        if (request.TitleIds.Count + keys.Count > RequestCheck.MaxKeys) check.Add(
            "keys", $"at most {RequestCheck.MaxKeys} titles and keys in one release");
        if (request.TitleIds.Count + request.Keys.Count + request.Documents.Count == 0) check.Add(
            "title_ids", "release at least one title, key or document");
        check.ThrowIfAny();
        var call = new ReleaseFunction { PledgeId = request.PledgeId, TitleIds = [.. request.TitleIds], Keys = keys };
        return new ReleaseResponse { Receipt = WriteSubmission.Receipt(
            (await writes.SubmitAsync(request.RequestId, "Release", call, context.CallerName(), context.CancellationToken)).Entry) };
    }

    public override async Task<TransferTitleResponse> TransferTitle(TransferTitleRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        if (request.TitleId == 0) check.Add("title_id", "required");
        check.Address(request.NewHolder, "new_holder");
        check.ThrowIfAny();
        var call = new TransferTitleFunction { TitleId = request.TitleId, NewHolder = request.NewHolder };
        return new TransferTitleResponse { Receipt = WriteSubmission.Receipt(
            (await writes.SubmitAsync(request.RequestId, "TransferTitle", call, context.CallerName(), context.CancellationToken)).Entry) };
    }

    public override async Task<SurrenderTitleResponse> SurrenderTitle(SurrenderTitleRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        if (request.TitleId == 0) check.Add("title_id", "required");
        check.ThrowIfAny();
        var call = new SurrenderTitleFunction { TitleId = request.TitleId };
        return new SurrenderTitleResponse { Receipt = WriteSubmission.Receipt(
            (await writes.SubmitAsync(request.RequestId, "SurrenderTitle", call, context.CallerName(), context.CancellationToken)).Entry) };
    }

    public override Task<GetTitleHistoryResponse> GetTitleHistory(GetTitleHistoryRequest request, ServerCallContext context)
    {
        if (request.TitleId == 0) throw RpcErrors.InvalidArgument([("title_id", "required")]);
        // From the per-record event index: one seek, whatever the size of the ledger.
        var (exists, events, synced) = index.Read((ledger, history, s) =>
            (ledger.Title(request.TitleId) is not null, history.Of(LedgerRecord.Title(request.TitleId)), s));
        if (!exists) throw RpcErrors.NotFound(
            ErrorReason.TitleNotFound, $"Title {request.TitleId} is not in the index (as of block {synced?.BlockNumber}).");
        var response = new GetTitleHistoryResponse { AsOf = BlockStamps.Of(synced) };
        response.Events.AddRange(events.Select(TitleEvents.ToProto).OfType<TitleEvent>());
        return Task.FromResult(response);
    }

    public override Task<GetKeyHistoryResponse> GetKeyHistory(GetKeyHistoryRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.Bytes32(request.Key, "key");
        check.ThrowIfAny();
        // The events naming the key, and those of its title (a pledge of the title locks its keys), merged in chain order.
        var key = request.Key.ToByteArray();
        var (events, synced) = index.Read((ledger, history, s) => (
            ledger.TitleOfKey(Hex.Of(key)) is { } titleId
                ? history.Of(LedgerRecord.Key(key), LedgerRecord.Title(titleId)) : history.Of(LedgerRecord.Key(key)),
            s));
        var response = new GetKeyHistoryResponse { AsOf = BlockStamps.Of(synced) };
        response.Events.AddRange(events.Select(TitleEvents.ToProto).OfType<TitleEvent>());
        return Task.FromResult(response);
    }

    public override async Task WatchTitleEvents(
        WatchTitleEventsRequest request, IServerStreamWriter<WatchTitleEventsResponse> responseStream, ServerCallContext context)
    {
        using var slot = watchers.TryTake(CallerPartition.Of(context.GetHttpContext()))
            ?? throw RpcErrors.LimitExceeded(
                "watchers", $"This caller has {watchers.MaxPerCaller} watchers open, the most it may; end one first.",
                TimeSpan.FromSeconds(1));
        var bufferEvents = limits.Value.WatcherBufferEvents;
        // From a block: everything from it on. Live only: what comes after the chain's head as this node last saw it (less
        // its confirmation depth), so a node still catching up never sends a live watcher its history.
        var after = request.FromBlock > 0 ? (request.FromBlock - 1, long.MaxValue) : (await LiveFromAsync(), long.MaxValue);
        // Headers now tell the caller its watch is admitted: every event from here on reaches it, or it is told.
        await context.WriteResponseHeadersAsync([]);
        var lastSent = (Block: 0UL, Log: -1L);
        try
        {
            await foreach (var e in index.WatchAsync(after, bufferEvents, context.CancellationToken))
            {
                if (TitleEvents.ToProto(e) is not { } message) continue;
                await responseStream.WriteAsync(new WatchTitleEventsResponse { Event = message }, context.CancellationToken);
                lastSent = ((ulong)e.BlockNumber, (long)e.LogIndex);
            }
            // The feed ends only when the call does (cancelled, or past its deadline): never report that as a clean end.
            context.CancellationToken.ThrowIfCancellationRequested();
        }
        catch (WatcherTooSlowException)
        {
            throw RpcErrors.WatcherTooSlow(bufferEvents, lastSent.Block, lastSent.Log);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    /// <summary>
    /// The last block a live-only watcher is not sent: the confirmed head as the follower last saw it (asked of the chain
    /// when the follower has not heard from it yet, as just after start), or the index's block if that is further.
    /// </summary>
    private async Task<ulong> LiveFromAsync()
    {
        var head = follower.ChainHead;
        if (head == 0)
        {
            try
            {
                head = (ulong)(await chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
            }
            catch (Exception ex) when (LedgerChain.IsUnreachable(ex))
            {
                // The chain is down: nothing newer than the index can be applied before it returns.
            }
        }
        var confirmed = head > (ulong)chainOptions.Value.ConfirmationDepth ? head - (ulong)chainOptions.Value.ConfirmationDepth : 0;
        return Math.Max(confirmed, index.Synced?.BlockNumber ?? 0);
    }

    private static Api.V1.CollateralKey ToProto(CollateralKey key) =>
        new() { Value = ByteString.CopyFrom(key.Value), Kind = (Api.V1.CollateralKeyKind)(int)key.Kind };

    private static (string Pledgee, ulong Expiry) HolderOfPledge(LedgerProjection ledger, PledgeBlockedEvent blocked)
    {
        foreach (var id in blocked.TitleIds)
        {
            if (ledger.Title(id) is { PledgeId: var p } t && p == blocked.ConflictingPledgeId) return (t.Pledgee, t.PledgeExpiry);
        }
        foreach (var key in blocked.Keys)
        {
            var state = ledger.Key(Hex.Of(key));
            if (state.PledgeId == blocked.ConflictingPledgeId) return (state.Pledgee, state.PledgeExpiry);
        }
        return (Hex.ZeroAddress, 0);
    }


}
