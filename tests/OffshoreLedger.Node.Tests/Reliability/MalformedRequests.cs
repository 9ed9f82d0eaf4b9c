using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using OffshoreLedger.Api.V1;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>One generated request: the RPC it goes to, whether that RPC writes, how it was broken, and how to send it.</summary>
public sealed record MalformedRequest(string Method, bool Writes, string Flaw, Func<CallInvoker, CallOptions, Task> SendAsync);

/// <summary>
/// Generates requests a node must refuse without harm, from a seeded <see cref="Random"/>: raw random bytes for any
/// RPC, messages over the size limit, and well-formed protobuf with broken fields — wrong byte lengths, too many
/// items, missing or out-of-range values, invalid identifiers (container numbers, LEIs, UN/LOCODEs, IMO numbers,
/// addresses, units), timestamps outside the representable range, and trade documents whose JSON is truncated,
/// mistyped, nulled, blown up or carries a bad identifier; strings of 1 MiB (a financing reference, an invoice's JSON),
/// enum values the contract does not define (<c>consistency = 9</c>, a document's type or format). Every write carries at least one flaw
/// that alone makes it INVALID_ARGUMENT, so no generated write can ever change the ledger; reads may be valid, and may be answered.
/// </summary>
public sealed class MalformedRequests(Random random, string memberAddress, byte[] anchoredRoot)
{
    private const string Package = "offshore_ledger.v1.";
    private const int OneMiB = 1 << 20;

    /// <summary>Every unary RPC: service, method, whether it writes.</summary>
    private static readonly (string Service, string Method, bool Writes)[] Rpcs =
    [
        ("TitleService", "RegisterTitle", true), ("TitleService", "CheckCollateral", false), ("TitleService", "Pledge", true),
        ("TitleService", "Release", true), ("TitleService", "TransferTitle", true), ("TitleService", "SurrenderTitle", true),
        ("TitleService", "GetTitleHistory", false), ("TitleService", "GetKeyHistory", false),
        ("AttestationService", "PublishLoadingAttestation", true),
        ("AttestationService", "ListLoadingAttestations", false), ("DocumentService", "AnchorDocuments", true),
        ("DocumentService", "GetDocumentProof", false), ("DocumentService", "VerifyDocument", false), ("NodeService", "GetNodeInfo", false),
        ("VerificationService", "VerifyTrade", false),
    ];

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private static readonly string BillOfLadingJson = File.ReadAllText("TestData/dcsa/ebl-3.0-copper-cathodes.json");
    private static readonly string InvoiceJson = File.ReadAllText(Path.Combine(SampleTrade.SamplesFolder, "sales-invoice.json"));
    private static readonly string SettlementJson = File.ReadAllText(Path.Combine(SampleTrade.SamplesFolder, "settlement-sale.json"));
    private static readonly string AttestationJson = File.ReadAllText(Path.Combine(SampleTrade.SamplesFolder, "loading-attestation.json"));

    /// <summary>Identifiers that fail their check: check digits, lengths, alphabets.</summary>
    private static readonly string[] BadIdentifiers =
    [
        "SMLU4026172", "SMLU402617", "smlu4026171", "SML04026171", "984500LC0PPERMET0125", "984500LC0PPERMET012", "MYPK", "ZZ!!!",
        "9745418", "IMO97454190", "58e9a575-a990-069a-b37c-598cce382498", "XXX", "", " ", "\u0000", "\u202e\u0645\u0631\u062d\u0628\u0627",
        new string('9', 400), "0x", "-1", "1e400",
    ];

    public MalformedRequest Next()
    {
        var roll = random.Next(100);
        if (roll < 25) return RandomBytes();
        if (roll < 27) return WithoutValidKey();
        return random.Next(14) switch
        {
            0 => RegisterTitle(),
            1 => Pledge(),
            2 => Release(),
            3 => TransferTitle(),
            4 => SurrenderTitle(),
            5 => PublishLoadingAttestation(),
            6 => AnchorDocuments(),
            7 => CheckCollateral(),
            8 => GetTitleHistory(),
            9 => ListLoadingAttestations(),
            10 => GetDocumentProof(),
            11 => VerifyDocument(),
            12 => VerifyTrade(),
            _ => RegisterTitle(),
        };
    }

    /// <summary>A message over the node's 4 MB receive limit, to any RPC.</summary>
    public MalformedRequest Oversize()
    {
        var (service, method, writes) = Rpcs[random.Next(Rpcs.Length)];
        var body = RandomBytes(5 * 1024 * 1024);
        return new(method, writes, "oversize", (invoker, options) => Raw(invoker, options, service, method, body));
    }

    // ---- raw and unauthenticated -------------------------------------------------------------

    private MalformedRequest RandomBytes()
    {
        var (service, method, writes) = Rpcs[random.Next(Rpcs.Length)];
        var body = RandomBytes(random.Next(4) == 0 ? random.Next(4096) : random.Next(64));
        return new(method, writes, "random bytes", (invoker, options) => Raw(invoker, options, service, method, body));
    }

    private MalformedRequest WithoutValidKey()
    {
        var request = new CheckCollateralRequest { TitleIds = { 1 } }.ToByteArray();
        var key = random.Next(3) switch
        {
            0 => null, 1 => "", _ => Encoding.ASCII.GetString(RandomBytes(20).Select(b => (byte)('a' + b % 26)).ToArray()),
        };
        return new("CheckCollateral", false, "API key missing or unknown", (invoker, options) =>
        {
            var headers = new Metadata();
            if (key is not null) headers.Add("x-api-key", key);
            return Raw(invoker, options.WithHeaders(headers), "TitleService", "CheckCollateral", request);
        });
    }

    private static async Task Raw(CallInvoker invoker, CallOptions options, string service, string method, byte[] body) =>
        await invoker.AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, Package + service, method, Bytes, Bytes), null, options, body);

    // ---- writes: each with at least one flaw that alone is INVALID_ARGUMENT ---------------------

    private MalformedRequest RegisterTitle()
    {
        var request = new RegisterTitleRequest { RequestId = RequestId(), Holder = memberAddress };
        if (random.Next(2) == 0) request.BillOfLading = Document(TradeDocumentType.BillOfLading, DocumentFormat.DcsaEbl3, BillOfLadingJson);
        else
        {
            request.LotKey = Key();
            request.Quantity = (ulong)random.NextInt64(1, long.MaxValue);
            request.Unit = "TNE";
            request.Keys.AddRange(Keys(random.Next(1, 4)));
        }
        var flaws = Flaws(random.Next(1, 4), [
            ("request_id", () => request.RequestId = BadRequestId()),
            ("holder", () => request.Holder = BadAddress()),
            ("lot_key", () =>
            {
                request.BillOfLading = null; request.LotKey = BadKey(); request.Keys.Add(Key()); request.Unit = "TNE"; request.Quantity = 1;
            }),
            ("quantity", () =>
            {
                request.BillOfLading = null; request.LotKey = Key(); request.Quantity = 0; request.Unit = "TNE"; request.Keys.Add(Key());
            }),
            ("unit", () =>
            {
                request.BillOfLading = null; request.LotKey = Key(); request.Quantity = 1; request.Unit = BadUnit();
                request.Keys.Add(Key());
            }),
            ("keys", () =>
            {
                request.BillOfLading = null; request.LotKey = Key(); request.Quantity = 1; request.Unit = "TNE";
                request.Keys.Clear(); request.Keys.AddRange(BadKeys(257));
            }),
            ("both document and keys", () =>
            {
                request.BillOfLading ??= Document(TradeDocumentType.BillOfLading, DocumentFormat.DcsaEbl3, BillOfLadingJson);
                request.Keys.Add(Key());
            }),
            ("document", () => request.BillOfLading = BadDocument()),
        ]);
        return Typed(
            "RegisterTitle", true, flaws, request, (c, o) => new TitleService.TitleServiceClient(c).RegisterTitleAsync(request, o));
    }

    private MalformedRequest Pledge()
    {
        var request = new PledgeRequest
        {
            RequestId = RequestId(), FinancingReference = "LOAN-" + random.Next(),
            ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(30)),
            TitleIds = { (ulong)random.NextInt64(1, 1_000) },
        };
        if (random.Next(3) == 0) request.Documents.Add(
            Document(TradeDocumentType.CommercialInvoice, DocumentFormat.OffshoreLedger, InvoiceJson));
        var flaws = Flaws(random.Next(1, 4), [
            ("request_id", () => request.RequestId = BadRequestId()),
            ("financing_reference", () => request.FinancingReference = random.Next(2) == 0 ? "" : " \t "),
            ("financing_reference of 1 MiB", () => request.FinancingReference = new string('R', OneMiB)),
            ("expires_at missing", () => request.ExpiresAt = null),
            ("expires_at past",
                () => request.ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-random.Next(1, 10_000)))),
            ("expires_at out of range", () => request.ExpiresAt = BadTimestamp()),
            ("keys", () => request.Keys.AddRange(BadKeys(501))),
            ("nothing to pledge", () => { request.TitleIds.Clear(); request.Keys.Clear(); request.Documents.Clear(); }),
            ("too many titles", () => request.TitleIds.AddRange(Enumerable.Range(1, 501).Select(i => (ulong)i))),
            ("document", () => request.Documents.Add(BadDocument())),
        ]);
        return Typed("Pledge", true, flaws, request, (c, o) => new TitleService.TitleServiceClient(c).PledgeAsync(request, o));
    }

    private MalformedRequest Release()
    {
        var request = new ReleaseRequest { RequestId = RequestId(), PledgeId = (ulong)random.NextInt64(1, 1_000), TitleIds = { 1 } };
        var flaws = Flaws(random.Next(1, 3), [
            ("request_id", () => request.RequestId = BadRequestId()),
            ("pledge_id", () => request.PledgeId = 0),
            ("keys", () => request.Keys.AddRange(BadKeys(3))),
            ("nothing to release", () => { request.TitleIds.Clear(); request.Keys.Clear(); }),
        ]);
        return Typed("Release", true, flaws, request, (c, o) => new TitleService.TitleServiceClient(c).ReleaseAsync(request, o));
    }

    private MalformedRequest TransferTitle()
    {
        var request = new TransferTitleRequest { RequestId = RequestId(), TitleId = (ulong)random.NextInt64(1, long.MaxValue),
            NewHolder = memberAddress };
        var flaws = Flaws(random.Next(1, 3), [
            ("request_id", () => request.RequestId = BadRequestId()),
            ("title_id", () => request.TitleId = 0),
            ("new_holder", () => request.NewHolder = BadAddress()),
        ]);
        return Typed(
            "TransferTitle", true, flaws, request, (c, o) => new TitleService.TitleServiceClient(c).TransferTitleAsync(request, o));
    }

    private MalformedRequest SurrenderTitle()
    {
        var request = new SurrenderTitleRequest { RequestId = RequestId(), TitleId = (ulong)random.NextInt64(1, long.MaxValue) };
        var flaws = Flaws(random.Next(1, 3), [
            ("request_id", () => request.RequestId = BadRequestId()),
            ("title_id", () => request.TitleId = 0),
        ]);
        return Typed(
            "SurrenderTitle", true, flaws, request, (c, o) => new TitleService.TitleServiceClient(c).SurrenderTitleAsync(request, o));
    }

    private MalformedRequest PublishLoadingAttestation()
    {
        var request = new PublishLoadingAttestationRequest { RequestId = RequestId() };
        if (random.Next(2) == 0) request.Attestation = Document(
            TradeDocumentType.LoadingAttestation, DocumentFormat.OffshoreLedger, AttestationJson);
        else
        {
            request.LotKey = Key();
            request.Quantity = 40;
            request.Unit = "BE";
            request.LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1));
            request.DocumentHash = Key();
        }
        void Precomputed()
        {
            request.Attestation = null;
            request.LotKey = Key();
            request.Quantity = 40;
            request.Unit = "BE";
            request.LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(-1));
            request.DocumentHash = Key();
        }
        var flaws = Flaws(random.Next(1, 4), [
            ("request_id", () => request.RequestId = BadRequestId()),
            ("lot_key", () => { Precomputed(); request.LotKey = BadKey(); }),
            ("quantity", () => { Precomputed(); request.Quantity = 0; }),
            ("unit", () => { Precomputed(); request.Unit = BadUnit(); }),
            ("loaded_at missing", () => { Precomputed(); request.LoadedAt = null; }),
            ("loaded_at future", () =>
            {
                Precomputed(); request.LoadedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(random.Next(1, 10_000)));
            }),
            ("loaded_at out of range", () => { Precomputed(); request.LoadedAt = BadTimestamp(); }),
            ("document_hash", () => { Precomputed(); request.DocumentHash = BadKey(); }),
            ("both document and values", () =>
            {
                request.Attestation = Document(TradeDocumentType.LoadingAttestation, DocumentFormat.OffshoreLedger, AttestationJson);
                request.Quantity = 1;
            }),
            ("document", () => request.Attestation = BadDocument()),
        ]);
        return Typed(
            "PublishLoadingAttestation", true, flaws, request,
            (c, o) => new AttestationService.AttestationServiceClient(c).PublishLoadingAttestationAsync(request, o));
    }

    private MalformedRequest AnchorDocuments()
    {
        var request = new AnchorDocumentsRequest { RequestId = RequestId(), DocumentHashes = { Key() } };
        var flaws = Flaws(random.Next(1, 3), [
            ("request_id", () => request.RequestId = BadRequestId()),
            ("document_hashes", () => request.DocumentHashes.AddRange(BadKeys(random.Next(1, 5)))),
            ("nothing to anchor", () => { request.DocumentHashes.Clear(); request.Documents.Clear(); }),
            ("too many", () => request.DocumentHashes.AddRange(Enumerable.Range(0, 10_001).Select(_ => Key()))),
            // Still the same invoice to a JSON parser (the padding is whitespace), and over its length limit.
            ("invoice of 1 MiB",
                () => request.Documents.Add(
                    Document(
                    TradeDocumentType.CommercialInvoice, DocumentFormat.OffshoreLedger,
                    "{" + new string(' ', OneMiB) + InvoiceJson.TrimStart()[1..]))),
            ("unknown document type",
                () => request.Documents.Add(
                    Document((TradeDocumentType)random.Next(5, 1_000), DocumentFormat.OffshoreLedger, InvoiceJson))),
            ("unknown document format",
                () => request.Documents.Add(
                    Document(TradeDocumentType.CommercialInvoice, (DocumentFormat)random.Next(3, 1_000), InvoiceJson))),
            ("document", () => request.Documents.Add(BadDocument())),
        ]);
        return Typed(
            "AnchorDocuments", true, flaws, request,
            (c, o) => new DocumentService.DocumentServiceClient(c).AnchorDocumentsAsync(request, o));
    }

    // ---- reads: broken or merely odd; an answer is fine, a crash is not --------------------------

    private MalformedRequest CheckCollateral()
    {
        var request = new CheckCollateralRequest { Consistency = (Consistency)random.Next(-1, 4) };
        var flaws = Flaws(random.Next(1, 3), [
            ("keys", () => request.Keys.AddRange(random.Next(2) == 0 ? BadKeys(random.Next(1, 4)) : Keys(501))),
            ("too many titles", () => request.TitleIds.AddRange(Enumerable.Range(0, 501).Select(_ => (ulong)random.NextInt64()))),
            ("nothing asked", () => { request.TitleIds.Clear(); request.Keys.Clear(); request.Documents.Clear(); }),
            ("unknown titles",
                () => request.TitleIds.AddRange(Enumerable.Range(0, random.Next(1, 20)).Select(_ => (ulong)random.NextInt64()))),
            ("consistency = 9", () => { request.TitleIds.Add(1); request.Consistency = (Consistency)9; }),
            ("document", () => request.Documents.Add(BadDocument())),
        ]);
        return Typed(
            "CheckCollateral", false, flaws, request, (c, o) => new TitleService.TitleServiceClient(c).CheckCollateralAsync(request, o));
    }

    private MalformedRequest GetTitleHistory()
    {
        var request = new GetTitleHistoryRequest { TitleId = random.Next(2) == 0 ? 0 : (ulong)random.NextInt64(1_000_000, long.MaxValue) };
        return Typed("GetTitleHistory", false, request.TitleId == 0 ? "title_id zero" : "unknown title", request,
            (c, o) => new TitleService.TitleServiceClient(c).GetTitleHistoryAsync(request, o));
    }

    private MalformedRequest ListLoadingAttestations()
    {
        var request = new ListLoadingAttestationsRequest();
        var flaws = Flaws(random.Next(1, 3), [
            ("lot_keys", () => request.LotKeys.AddRange(BadKeys(random.Next(1, 4)))),
            ("too many titles", () => request.TitleIds.AddRange(Enumerable.Range(0, 501).Select(_ => (ulong)random.NextInt64()))),
            ("nothing asked", () => { request.LotKeys.Clear(); request.TitleIds.Clear(); }),
        ]);
        return Typed(
            "ListLoadingAttestations", false, flaws, request,
            (c, o) => new AttestationService.AttestationServiceClient(c).ListLoadingAttestationsAsync(request, o));
    }

    private MalformedRequest GetDocumentProof()
    {
        var request = new GetDocumentProofRequest { DocumentHash = random.Next(2) == 0 ? BadKey() : Key() };
        return Typed("GetDocumentProof", false, request.DocumentHash.Length == 32 ? "unknown document" : "document_hash", request,
            (c, o) => new DocumentService.DocumentServiceClient(c).GetDocumentProofAsync(request, o));
    }

    private MalformedRequest VerifyDocument()
    {
        var request = new VerifyDocumentRequest { DocumentHash = Key() };
        var flaws = Flaws(random.Next(1, 3), [
            ("document and hash",
                () => request.Document = Document(TradeDocumentType.CommercialInvoice, DocumentFormat.OffshoreLedger, InvoiceJson)),
            ("document_hash", () => request.DocumentHash = BadKey()),
            ("document", () => { request.DocumentHash = ByteString.Empty; request.Document = BadDocument(); }),
            ("merkle_root", () => { request.Proof = new InclusionProof { TreeSize = 1 }; request.MerkleRoot = BadKey(); }),
            ("proof against an anchored root", () =>
            {
                // Nonsense the verifier must judge, not trip over: indexes past the size, sizes beyond long, paths of odd hashes.
                request.MerkleRoot = ByteString.CopyFrom(anchoredRoot);
                request.Proof = new InclusionProof { LeafIndex = (ulong)random.NextInt64() * (ulong)random.Next(1, 4),
                    TreeSize = (ulong)random.NextInt64() * (ulong)random.Next(1, 4) };
                request.Proof.AuditPath.AddRange(
                    Enumerable.Range(0, random.Next(0, 80)).Select(_ => ByteString.CopyFrom(RandomBytes(random.Next(0, 70)))));
            }),
        ]);
        return Typed(
            "VerifyDocument", false, flaws, request,
            (c, o) => new DocumentService.DocumentServiceClient(c).VerifyDocumentAsync(request, o));
    }

    private MalformedRequest VerifyTrade()
    {
        static TradeDocumentRef Ref(TradeDocumentType type, DocumentFormat format, string json) => new()
            { Document = Document(type, format, json) };
        var request = new VerifyTradeRequest
        {
            BillOfLading = Ref(TradeDocumentType.BillOfLading, DocumentFormat.DcsaEbl3, BillOfLadingJson),
            SalesInvoice = Ref(TradeDocumentType.CommercialInvoice, DocumentFormat.OffshoreLedger, InvoiceJson),
            Settlements = { Ref(TradeDocumentType.SettlementRecord, DocumentFormat.OffshoreLedger, SettlementJson) },
        };
        var flaws = Flaws(random.Next(1, 3), [
            ("bill_of_lading missing", () => request.BillOfLading = null),
            ("document", () => request.SalesInvoice = new TradeDocumentRef { Document = BadDocument() }),
            ("wrong document type",
                () => request.SalesInvoice = Ref(TradeDocumentType.SettlementRecord, DocumentFormat.OffshoreLedger, SettlementJson)),
            ("document and hash", () => request.Settlements[0].DocumentHash = Key()),
            ("document_hash", () => request.Settlements.Add(new TradeDocumentRef { DocumentHash = BadKey() })),
            ("keys", () => request.Settlements.Add(new TradeDocumentRef { DocumentHash = Key(), Keys = { BadKeys(random.Next(1, 300)) } })),
            ("proof", () => request.Settlements.Add(new TradeDocumentRef
            {
                DocumentHash = Key(), MerkleRoot = random.Next(2) == 0 ? Key() : BadKey(),
                Proof = new InclusionProof { LeafIndex = (ulong)random.NextInt64(),
                    TreeSize = (ulong)random.NextInt64() * (ulong)random.Next(1, 4),
                    AuditPath = { ByteString.CopyFrom(RandomBytes(random.Next(0, 70))) } },
            })),
            ("too many settlements",
                () => request.Settlements.AddRange(Enumerable.Range(0, 101).Select(_ => new TradeDocumentRef { DocumentHash = Key() }))),
            ("bank", () => request.Bank = BadAddress()),
        ]);
        return Typed(
            "VerifyTrade", false, flaws, request,
            (c, o) => new VerificationService.VerificationServiceClient(c).VerifyTradeAsync(request, o));
    }

    // ---- documents -------------------------------------------------------------------------------

    private static TradeDocument Document(TradeDocumentType type, DocumentFormat format, string json) => new()
        { Type = type, Format = format, Json = json };

    /// <summary>A trade document broken at one random place (or as a whole), in one of many ways.</summary>
    private TradeDocument BadDocument()
    {
        var (type, format, json) = random.Next(4) switch
        {
            0 => (TradeDocumentType.BillOfLading, DocumentFormat.DcsaEbl3, BillOfLadingJson),
            1 => (TradeDocumentType.CommercialInvoice, DocumentFormat.OffshoreLedger, InvoiceJson),
            2 => (TradeDocumentType.SettlementRecord, DocumentFormat.OffshoreLedger, SettlementJson),
            _ => (TradeDocumentType.LoadingAttestation, DocumentFormat.OffshoreLedger, AttestationJson),
        };
        switch (random.Next(10))
        {
            case 0: return Document(type, format, json[..random.Next(json.Length)]);
            case 1: return Document((TradeDocumentType)random.Next(-3, 8), (DocumentFormat)random.Next(-3, 5), json);
            case 2: return Document(type, format, Encoding.UTF8.GetString(RandomBytes(random.Next(0, 300))));
            case 3: return Document(type, format, new string('[', random.Next(60, 5_000)) + new string(']', random.Next(0, 5_000)));
            default:
                var root = JsonNode.Parse(json)!;
                var nodes = Descendants(root).ToList();
                Mutate(nodes[random.Next(nodes.Count)]);
                return Document(type, format, root.ToJsonString());
        }
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var d in Descendants(child)) yield return d;
        }
    }

    /// <summary>Replaces (or removes) one node of a document: a wrong type, null, an extreme value, a bad identifier.</summary>
    private void Mutate(JsonNode node)
    {
        JsonNode? replacement = random.Next(12) switch
        {
            0 => null,
            1 => JsonValue.Create(random.NextDouble() * Math.Pow(10, random.Next(0, 300)) * (random.Next(2) == 0 ? -1 : 1)),
            2 => JsonValue.Create(decimal.MaxValue),
            3 => JsonValue.Create(new string('Z', random.Next(1_000, 200_000))),
            4 => new JsonArray(Enumerable.Range(0, random.Next(0, 2_000)).Select(_ => node.DeepClone()).ToArray()),
            5 => new JsonObject { ["unexpected"] = JsonValue.Create(random.Next()) },
            6 => JsonValue.Create(random.Next(2) == 0),
            7 => JsonValue.Create(long.MinValue),
            8 => JsonValue.Create("9999-99-99T99:99:99Z"),
            9 => JsonValue.Create("\ud800\udfff\u0000\uffff"),
            _ => JsonValue.Create(BadIdentifiers[random.Next(BadIdentifiers.Length)]),
        };
        switch (node.Parent)
        {
            case JsonObject parent:
                var name = parent.Single(p => ReferenceEquals(p.Value, node)).Key;
                if (random.Next(6) == 0) parent.Remove(name);
                else parent[name] = replacement;
                break;
            case JsonArray parent:
                var index = parent.IndexOf(node);
                if (random.Next(6) == 0) parent.RemoveAt(index);
                else parent[index] = replacement;
                break;
        }
    }

    // ---- values ------------------------------------------------------------------------------------

    private string RequestId() => Guid.NewGuid().ToString();

    private string BadRequestId() => random.Next(3) switch { 0 => "", 1 => " \t\n", _ => new string('r', random.Next(129, 5_000)) };

    private string BadAddress() => random.Next(5) switch
    {
        0 => "",
        1 => "0x" + Convert.ToHexString(RandomBytes(random.Next(0, 20))),
        2 => Convert.ToHexString(RandomBytes(20)),
        3 => "0x" + new string('g', 40),
        _ => BadIdentifiers[random.Next(BadIdentifiers.Length)],
    };

    private string BadUnit() => random.Next(5) switch { 0 => "", 1 => "tne", 2 => "TONNESXYZ", 3 => "T-E", _ => " TNE\u0000" };

    private Timestamp BadTimestamp() => random.Next(3) switch
    {
        0 => new Timestamp { Seconds = long.MaxValue - random.Next(1_000) },
        1 => new Timestamp { Seconds = long.MinValue + random.Next(1_000) },
        _ => new Timestamp { Seconds = random.NextInt64(0, 4_000_000_000),
            Nanos = random.Next(2) == 0 ? -1 : 1_000_000_000 + random.Next(1_000) },
    };

    private ByteString Key() => ByteString.CopyFrom(RandomBytes(32));

    private IEnumerable<ByteString> Keys(int count) => Enumerable.Range(0, count).Select(_ => Key()).ToList();

    /// <summary>A key that is not one: any length but 32, or 32 zero bytes.</summary>
    private ByteString BadKey()
    {
        if (random.Next(5) == 0) return ByteString.CopyFrom(new byte[32]);
        var length = random.Next(0, 100);
        return ByteString.CopyFrom(RandomBytes(length == 32 ? 33 : length));
    }

    /// <summary><paramref name="count"/> keys, one of them (at least) not a key.</summary>
    private List<ByteString> BadKeys(int count)
    {
        var keys = Keys(count).ToList();
        keys[random.Next(count)] = BadKey();
        return keys;
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// Applies <paramref name="count"/> distinct flaws from <paramref name="choices"/> and names them. The last one
    /// applied is always one that alone makes the request invalid (a broken document may still be a valid one), so
    /// nothing applied before it can make the request valid again.
    /// </summary>
    private string Flaws(int count, (string Name, Action Apply)[] choices)
    {
        var chosen = choices.OrderBy(_ => random.Next()).Take(count).ToList();
        if (chosen[^1].Name == "document")
        {
            var decisive = choices.Where(c => c.Name != "document").ToList();
            chosen[^1] = decisive[random.Next(decisive.Count)];
            chosen.Insert(0, choices.Single(c => c.Name == "document"));
            chosen = [.. chosen.DistinctBy(c => c.Name)];
        }
        foreach (var (_, apply) in chosen) apply();
        return string.Join(", ", chosen.Select(c => c.Name));
    }

    private static MalformedRequest Typed<TRequest, TResponse>(
        string method, bool writes, string flaw, TRequest request, Func<CallInvoker, CallOptions, AsyncUnaryCall<TResponse>> call) =>
        new(method, writes, flaw, async (invoker, options) => await call(invoker, options));
}
