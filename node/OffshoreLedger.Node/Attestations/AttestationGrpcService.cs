using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LoadingAttestation = OffshoreLedger.Client.Documents.LoadingAttestation;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Documents;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Writes;

namespace OffshoreLedger.Node.Attestations;

/// <summary>Ports publish loading attestations; anyone lists them, from the index.</summary>
public sealed class AttestationGrpcService(
    LedgerIndex index, WriteSubmission writes, DocumentIntake intake) : AttestationService.AttestationServiceBase
{
    public override async Task<PublishLoadingAttestationResponse> PublishLoadingAttestation(
        PublishLoadingAttestationRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.RequestId(request.RequestId);
        byte[] lotKey, documentHash;
        ulong quantity, loadedAt;
        string unit, portOfLoading, portField;
        if (request.Attestation is not null)
        {
            if (!request.LotKey.IsEmpty || request.Quantity != 0 || request.Unit.Length > 0 || request.LoadedAt is not null
                || !request.DocumentHash.IsEmpty
                || request.PortOfLoading.Length > 0)
            {
                check.Add("attestation", "give either an attestation document or precomputed values, not both");
            }
            var accepted = intake.Accept(request.Attestation, "attestation", check.Violations);
            if (accepted is not null && accepted.Document is not LoadingAttestation) check.Add(
                "attestation.type", "must be a loading attestation");
            var document = accepted?.Document as LoadingAttestation;
            lotKey = document is null ? [] : intake.Keys.KeyFor(document).Value.ToArray();
            documentHash = accepted?.Hash.Value.ToArray() ?? [];
            unit = document?.Quantity.Unit ?? "";
            (portOfLoading, portField) = (document?.Lot.PortOfLoading ?? "", "attestation.json.lot.portOfLoading");
            loadedAt = document is null ? 0 : (ulong)document.LoadedAt.ToUnixTimeSeconds();
            quantity = 0;
            if (document is not null)
            {
                var value = document.Quantity.Value;
                if (!RequestCheck.IsWholeChainQuantity(value)) check.Add(
                    "attestation.json.quantity.value", $"must be a positive whole number of the unit, at most {ulong.MaxValue}");
                else quantity = (ulong)value;
                check.Unit(unit, "attestation.json.quantity.unit");
            }
        }
        else
        {
            check.Bytes32(request.LotKey, "lot_key");
            if (request.Quantity == 0) check.Add("quantity", "must be positive");
            check.Unit(request.Unit, "unit");
            var at = check.Time(request.LoadedAt, "loaded_at", required: true);
            if (at > DateTimeOffset.UtcNow.AddMinutes(5)) check.Add("loaded_at", "must not be in the future");
            check.Bytes32(request.DocumentHash, "document_hash");
            (lotKey, quantity, unit, documentHash) = (request.LotKey.ToByteArray(), request.Quantity, request.Unit,
                request.DocumentHash.ToByteArray());
            (portOfLoading, portField) = (request.PortOfLoading, "port_of_loading");
            loadedAt = at is null ? 0 : (ulong)Math.Max(0, at.Value.ToUnixTimeSeconds());
        }
        // The contract takes the attestation only from the PORT member governance bound to this UN/LOCODE (issue 14).
        var locode = Array.Empty<byte>();
        if (check.Violations.Count == 0)
        {
            try
            {
                locode = LedgerCode.ToBytes(portOfLoading);
            }
            catch (ArgumentException)
            {
                check.Add(portField, "required: the port of loading's UN/LOCODE, 1 to 8 printable ASCII characters");
            }
        }
        check.ThrowIfAny();

        var call = new AttestLoadingFunction
        {
            LotKey = lotKey, Locode = locode, Quantity = quantity, Unit = UnitCode.ToBytes(unit), LoadedAt = loadedAt,
            DocumentHash = documentHash,
        };
        var (entry, events) = await writes.SubmitAsync(
            request.RequestId, "PublishLoadingAttestation", call, context.CallerName(), context.CancellationToken);
        return new PublishLoadingAttestationResponse
        {
            Receipt = WriteSubmission.Receipt(entry),
            LotKey = ByteString.CopyFrom(lotKey),
            RevealedOverIssue = events.OfType<LotOverIssuedEvent>().Any(),
        };
    }

    public override Task<ListLoadingAttestationsResponse> ListLoadingAttestations(
        ListLoadingAttestationsRequest request, ServerCallContext context)
    {
        var check = new RequestCheck();
        check.Keys(request.LotKeys, "lot_keys");
        if (request.TitleIds.Count > RequestCheck.MaxKeys) check.Add("title_ids", $"at most {RequestCheck.MaxKeys}");
        if (request.LotKeys.Count + request.TitleIds.Count == 0) check.Add("lot_keys", "name at least one lot key or title id");
        check.ThrowIfAny();

        var response = index.Read((ledger, history, synced) =>
        {
            var lots = request.LotKeys.Select(k => Hex.Of(k.ToByteArray()))
                .Concat(request.TitleIds.Select(ledger.Title).OfType<TitleState>().Select(t => t.LotKey))
                .Distinct()
                .ToHashSet();
            var answer = new ListLoadingAttestationsResponse { AsOf = BlockStamps.Of(synced) };
            foreach (var lotKey in lots)
            {
                if (ledger.Lot(lotKey) is not { Attested: true } lot) continue;
                var record = new LoadingAttestationRecord
                {
                    LotKey = ByteString.CopyFrom(Hex.Bytes(lot.LotKey)), Port = lot.Port, Quantity = lot.AttestedQuantity,
                    Unit = UnitCode.FromBytes(Hex.Bytes(lot.Unit)),
                    LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds((long)lot.LoadedAt)),
                    DocumentHash = ByteString.CopyFrom(Hex.Bytes(lot.DocumentHash)), OverIssued = lot.OverIssued,
                    LiveQuantity = lot.LiveQuantity,
                };
                // Where on chain it was made: the lot's newest attestation, from the per-record event index.
                if (history.Newest(LedgerRecord.Lot(Hex.Bytes(lot.LotKey))) is { } origin)
                {
                    record.BlockNumber = (ulong)origin.BlockNumber;
                    record.TransactionHash = ByteString.CopyFrom(Hex.Bytes(origin.TransactionHash));
                }
                answer.Attestations.Add(record);
            }
            return answer;
        });
        return Task.FromResult(response);
    }
}
