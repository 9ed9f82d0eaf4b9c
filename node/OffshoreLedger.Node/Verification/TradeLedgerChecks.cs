using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Merkle;
using OffshoreLedger.Client.Verification;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Replay;
using OffshoreLedger.Node.Chain;
using CollateralKeyKind = OffshoreLedger.Client.Keys.CollateralKeyKind;

namespace OffshoreLedger.Node.Verification;

/// <summary>
/// The checks of a trade that need the ledger, run against one view of it (under the index's read lock): anchoring,
/// title, loading attestation, UETR uniqueness and parties. Evidence names the transactions that made each record.
/// </summary>
public sealed class TradeLedgerChecks
{
    private readonly LedgerProjection _ledger;
    private readonly TradeInput _trade;
    private readonly IReadOnlyDictionary<TradeDocumentInput, DocumentProof?> _proofs;
    private readonly IReadOnlyList<CounterpartyOptions> _counterparties;
    private readonly string _bank;
    private readonly TitleState? _title;
    private readonly string? _titleProblem;
    private readonly LotState? _lot;
    private readonly string? _lotKey;
    private readonly LedgerOrigins _origins;
    private readonly string? _billLotKey;
    private readonly TitleRegisteredEvent? _issued;

    public TradeLedgerChecks(
        LedgerProjection ledger, IReadOnlyList<LedgerEvent> events, TradeInput trade,
        IReadOnlyDictionary<TradeDocumentInput, DocumentProof?> proofs, IReadOnlyList<CounterpartyOptions> counterparties)
    {
        (_ledger, _trade, _proofs, _counterparties, _bank) = (ledger, trade, proofs, counterparties, Hex.Address(trade.Bank));
        (_title, _titleProblem) = FindTitle();
        // The title's lot when registered; else the lot the B/L's content names.
        var billLot = trade.BillOfLading.Keys.FirstOrDefault(k => k.Kind == CollateralKeyKind.ShipmentLot);
        _billLotKey = billLot is null ? null : Hex.Of(billLot.Value);
        _lotKey = _title?.LotKey ?? _billLotKey;
        _lot = _lotKey is null ? null : ledger.Lot(_lotKey);
        _origins = LedgerOrigins.Find(events, WantedRecords());
        // Issue 14: who issued the title, as its registration says (the carrier member, itself or by its signature).
        _issued = _title is { } found ? events.Select(e => e.Event).OfType<TitleRegisteredEvent>().LastOrDefault(e => e.TitleId == found.Id) : null;
    }

    /// <summary>When the port attested loading of the B/L's lot, if it did.</summary>
    public DateTimeOffset? LoadedAt => _lot is { Attested: true } lot ? DateTimeOffset.FromUnixTimeSeconds((long)lot.LoadedAt) : null;

    /// <summary>The title the B/L's keys lead to, or 0.</summary>
    public ulong TitleId => _title?.Id ?? 0;

    public IReadOnlyList<TradeCheck> Run() => [DocumentsAnchored(), TitleLive(), LoadingAttested(), UetrUnique(), PartiesKnown()];

    private TradeCheck DocumentsAnchored()
    {
        var findings = new CheckFindings();
        var evidence = new List<CheckEvidence>();
        foreach (var document in _trade.Documents())
        {
            var hash = Hex.Of(document.Hash);
            var proof = _proofs[document];
            if (proof is null && ReferenceEquals(document, _trade.LoadingAttestation) && _lot is { Attested: true } lot && Hex.Address(lot.DocumentHash) == hash)
            {
                // The port's attestation binds the document's hash on chain itself.
                evidence.Add(_origins.Evidence(LedgerOrigins.Lot(lot.LotKey), $"{document.Role} recorded on chain by port {lot.Port}", lot.Port, hash));
                continue;
            }
            // Anchors are per (root, leaf count, submitter): the one whose leaf count the proof's tree size names; the
            // evidence names its submitter.
            var anchor = proof is null ? null : _ledger.AnchorsOf(Hex.Of(proof.Root)).FirstOrDefault(a => a.LeafCount == (ulong)proof.Proof.TreeSize);
            if (proof is null) findings.Fail($"the {document.Role} ({Short(hash)}) is not anchored: this node did not anchor it and no proof was given");
            else if (anchor is null && proof.Given) findings.Fail($"the root given with the {document.Role} ({Short(Hex.Of(proof.Root))}) is not anchored on chain");
            else if (anchor is null) findings.Warn($"the {document.Role} is queued for anchoring; its batch is not on chain yet");
            else if (!MerkleProofVerifier.Verify(document.Hash, proof.Proof, proof.Root, anchor.LeafCount))
            {
                findings.Fail($"the proof of the {document.Role} ({Short(hash)}) does not lead to the anchored root {Short(anchor.Root)}");
            }
            else
            {
                evidence.Add(_origins.Evidence(LedgerOrigins.Anchor(anchor.Root), $"{document.Role} anchored by {anchor.Submitter}", anchor.Submitter, hash));
            }
        }
        return TradeCheck.From(TradeCheckNames.DocumentsAnchored, findings, $"all {_trade.Documents().Count()} documents are anchored on chain", evidence);
    }

    private TradeCheck TitleLive()
    {
        var findings = new CheckFindings();
        var evidence = new List<CheckEvidence>();
        if (_titleProblem is not null) findings.Fail(_titleProblem);
        if (_title is { } title)
        {
            var issuer = _issued is null ? "an unknown issuer" : Hex.Address(_issued.Issuer);
            evidence.Add(_origins.Evidence(LedgerOrigins.Title(title.Id),
                $"title {title.Id} registered ({title.Quantity} {(_lot is null ? "units" : UnitCode.FromBytes(Hex.Bytes(_lot.Unit)))}, holder {title.Holder}), issued by {issuer}"));
            if (title.Status == TitleStatus.Surrendered) findings.Fail($"title {title.Id} was surrendered: its B/L is spent");
            if (title.Status == TitleStatus.Voided) findings.Fail($"title {title.Id} was voided by the consortium's governance");
            TieToBill(title, issuer, findings);
            if (title.PledgeId != 0)
            {
                evidence.Add(_origins.Evidence(LedgerOrigins.Pledge(title.PledgeId), $"pledge {title.PledgeId} to {title.Pledgee}"));
                if (title.Pledgee == _bank) findings.Note($"title {title.Id} is pledged to you under pledge {title.PledgeId}");
                else findings.Fail($"title {title.Id} is pledged to {title.Pledgee} under pledge {title.PledgeId} until {Date(title.PledgeExpiry)}");
            }
        }
        foreach (var invoice in new[] { _trade.PurchaseInvoice, _trade.SalesInvoice }.OfType<TradeDocumentInput>())
        {
            foreach (var key in invoice.Keys)
            {
                var state = _ledger.Key(Hex.Of(key.Value));
                if (state.PledgeId == 0 || state.Pledgee == _bank) continue;
                evidence.Add(_origins.Evidence(LedgerOrigins.Pledge(state.PledgeId), $"pledge {state.PledgeId} to {state.Pledgee}"));
                findings.Fail($"the {invoice.Role}'s {KindName(key.Kind)} key is pledged to {state.Pledgee} under pledge {state.PledgeId}: the invoice is financed elsewhere");
            }
        }
        return TradeCheck.From(TradeCheckNames.TitleLive, findings,
            $"title {_title?.Id} is registered, live, carries every key of the B/L and is not pledged to another bank", evidence.DistinctBy(e => e.Description).ToList());
    }

    /// <summary>
    /// Issue 14: the title is what its B/L says — the same lot, the whole quantity, the same unit — and was issued by the
    /// carrier member bound to the B/L's carrier code (the Qingdao pattern: four titles of 5,000 t for one 20,000 t B/L).
    /// </summary>
    private void TieToBill(TitleState title, string issuer, CheckFindings findings)
    {
        if (_billLotKey is not null && (title.LotKey != _billLotKey || title.MoreLots.Length > 0))
        {
            findings.Fail($"title {title.Id} books lot {Short(title.LotKey)}{(title.MoreLots.Length > 0 ? " and more" : "")}, not the B/L's lot {Short(_billLotKey)}");
        }
        if (_trade.BillOfLading.Document is not BillOfLading bill) return;
        var units = bill.ConsignmentItems.Select(i => i.Quantity.Unit).Distinct(StringComparer.Ordinal).ToList();
        var stated = bill.ConsignmentItems.Sum(i => i.Quantity.Value);
        var unit = _lot is null ? null : UnitCode.FromBytes(Hex.Bytes(_lot.Unit));
        if (units.Count == 1 && unit is not null && units[0] != unit) findings.Fail($"title {title.Id} is in {unit}, the B/L in {units[0]}");
        else if (stated != title.Quantity) findings.Fail($"title {title.Id} is for {title.Quantity} {unit}, the B/L states {stated} {units.FirstOrDefault()}");
        var bound = _ledger.CarrierOf(bill.CarrierCode);
        if (bound is null) findings.Fail($"no carrier member is bound to the B/L's carrier code {bill.CarrierCode}");
        else if (bound != issuer) findings.Fail($"title {title.Id} was issued by {issuer}, not by {bound}, the carrier bound to {bill.CarrierCode}");
    }

    private TradeCheck LoadingAttested()
    {
        var findings = new CheckFindings();
        var evidence = new List<CheckEvidence>();
        if (_title is { } booked && _billLotKey is not null && booked.LotKey != _billLotKey)
        {
            findings.Fail($"title {booked.Id} books lot {Short(booked.LotKey)}, not the lot the B/L names ({Short(_billLotKey)})");
        }
        if (_lotKey is null) findings.Fail("the B/L's lot is unknown: it is not registered as a title and its content was not given");
        else if (_lot is not { Attested: true } lot) findings.Fail($"no port has attested loading of the B/L's lot {Short(_lotKey)}");
        else
        {
            var unit = UnitCode.FromBytes(Hex.Bytes(lot.Unit));
            evidence.Add(_origins.Evidence(LedgerOrigins.Lot(lot.LotKey), $"loading of {lot.AttestedQuantity} {unit} attested by {lot.Port} for {Date(lot.LoadedAt)}", lot.Port, lot.DocumentHash));
            if (_ledger.Member(lot.Port) is not { Active: true } port || !port.Roles.HasFlag(MemberRoles.Port))
            {
                findings.Fail($"the lot's attestation is by {lot.Port}, which is not an active port member");
            }
            if (_title is { } title && lot.AttestedQuantity < title.Quantity)
            {
                findings.Fail($"the port attested {lot.AttestedQuantity} {unit}, less than title {title.Id}'s {title.Quantity} {unit}");
            }
            if (_title is { } whole && _trade.BillOfLading.Document is BillOfLading bill && bill.ConsignmentItems.Sum(i => i.Quantity.Value) is var stated
                && stated != whole.Quantity)
            {
                findings.Fail($"the B/L states {stated} {unit} but title {whole.Id} books {whole.Quantity} {unit} of the attested lot: the rest is free for other titles");
            }
            if (lot.OverIssued) findings.Fail($"the lot is over-issued: live titles hold {lot.LiveQuantity} {unit} of the {lot.AttestedQuantity} {unit} loaded");
            if (_trade.LoadingAttestation is { } given && Hex.Of(given.Hash) != Hex.Address(lot.DocumentHash))
            {
                findings.Fail($"the attestation given ({Short(Hex.Of(given.Hash))}) is not the one the port put on chain ({Short(lot.DocumentHash)})");
            }
        }
        var covered = _title is { } t ? $"covering title {t.Id}'s {t.Quantity} {(_lot is null ? "units" : UnitCode.FromBytes(Hex.Bytes(_lot.Unit)))}" : "";
        return TradeCheck.From(TradeCheckNames.LoadingAttested, findings, $"an active port member attested loading of the lot {covered}".TrimEnd(), evidence);
    }

    private TradeCheck UetrUnique()
    {
        var findings = new CheckFindings();
        var evidence = new List<CheckEvidence>();
        if (_trade.Settlements.Count == 0) findings.Warn("no settlement given: no UETR to check");
        foreach (var (uetr, count) in TradeDocumentChecks.RepeatedUetrs(_trade.DocumentSet()))
        {
            findings.Fail($"UETR {uetr} appears {count} times in this trade: one payment is counted more than once");
        }
        foreach (var settlement in _trade.Settlements)
        {
            var name = settlement.Document is SettlementRecord s ? $"UETR {s.Uetr}" : $"settlement {Short(Hex.Of(settlement.Hash))}";
            var keys = settlement.Keys.Where(k => k.Kind is null or CollateralKeyKind.Settlement).ToList();
            if (keys.Count == 0) findings.Warn($"{name} was given without its keys: not checked on the ledger");
            foreach (var key in keys)
            {
                var state = _ledger.Key(Hex.Of(key.Value));
                if (state.TitleId != 0 && state.TitleId != TitleId) findings.Fail($"{name} is tied to title {state.TitleId}, not to this trade's title");
                if (state.PledgeId != 0 && state.Pledgee != _bank)
                {
                    evidence.Add(_origins.Evidence(LedgerOrigins.Pledge(state.PledgeId), $"pledge {state.PledgeId} to {state.Pledgee}"));
                    findings.Fail($"{name} is pledged in another financing: pledge {state.PledgeId} to {state.Pledgee}");
                }
            }
        }
        return TradeCheck.From(TradeCheckNames.UetrUnique, findings, "each UETR appears once in the trade and in no other title or financing on the ledger", evidence);
    }

    private TradeCheck PartiesKnown()
    {
        var findings = new CheckFindings();
        var evidence = new List<CheckEvidence>();
        var documents = _trade.DocumentSet();
        if (documents.PurchaseInvoice is { } purchase && documents.SalesInvoice is { } sale && !PartyMatch.Same(purchase.Buyer, sale.Seller))
        {
            findings.Fail($"the purchase invoice's buyer {PartyMatch.Describe(purchase.Buyer)} is not the sales invoice's seller {PartyMatch.Describe(sale.Seller)}: the invoices are not one resale");
        }
        var parties = TradeParties(documents);
        if (parties.Count == 0) findings.Warn("no document content names a party");
        foreach (var (party, roles) in parties)
        {
            var known = _counterparties.FirstOrDefault(c => PartyMatch.Same(party, new Party { Name = c.Name, Lei = c.Lei, RegistrationId = c.RegistrationId }));
            var who = $"{PartyMatch.Describe(party)} ({string.Join(", ", roles)})";
            if (known is null) findings.Fail($"{who} is neither a consortium member nor a known counterparty");
            else if (known.Member is { } address)
            {
                var member = _ledger.Member(address);
                if (member is not { Active: true }) findings.Fail($"{who} is tied to member {Hex.Address(address)}, which is not an active consortium member");
                else evidence.Add(_origins.Evidence(LedgerOrigins.Member(address), $"{party.Name} is consortium member {member.Address} ({member.Roles})", member.Address));
            }
            else evidence.Add(new CheckEvidence($"{party.Name} is a known counterparty of this bank"));
        }
        return TradeCheck.From(TradeCheckNames.PartiesKnown, findings, $"all {parties.Count} parties are consortium members or known counterparties", evidence);
    }

    private (TitleState? Title, string? Problem) FindTitle()
    {
        var keys = _trade.BillOfLading.Keys.Where(k => k.Kind != CollateralKeyKind.ShipmentLot).ToList();
        if (keys.Count == 0) return (null, "the B/L was given without content or keys: its title cannot be found");
        var standings = keys.Select(k => (Key: k, State: _ledger.Key(Hex.Of(k.Value)))).ToList();
        var titles = standings.Select(s => s.State.TitleId).Where(id => id != 0).Distinct().Order().ToList();
        if (titles.Count == 0) return (null, "the B/L is not registered as a title on the ledger");
        if (titles.Count > 1) return (_ledger.Title(titles[0]), $"the B/L's keys are in {titles.Count} titles ({string.Join(", ", titles)}): its cargo is on more than one B/L");
        var loose = standings.Where(s => s.State.TitleId == 0).Select(s => KindName(s.Key.Kind)).ToList();
        return loose.Count > 0
            ? (_ledger.Title(titles[0]), $"{loose.Count} of the B/L's keys ({string.Join(", ", loose.Distinct())}) are in no title: this B/L differs from the one registered as title {titles[0]}")
            : (_ledger.Title(titles[0]), null);
    }

    private HashSet<string> WantedRecords()
    {
        var wanted = new HashSet<string>();
        foreach (var proof in _proofs.Values.OfType<DocumentProof>()) wanted.Add(LedgerOrigins.Anchor(Hex.Of(proof.Root)));
        if (_title is not null)
        {
            wanted.Add(LedgerOrigins.Title(_title.Id));
            if (_title.PledgeId != 0) wanted.Add(LedgerOrigins.Pledge(_title.PledgeId));
        }
        foreach (var document in _trade.Documents())
        {
            foreach (var key in document.Keys)
            {
                if (_ledger.Key(Hex.Of(key.Value)).PledgeId is var pledge and not 0) wanted.Add(LedgerOrigins.Pledge(pledge));
            }
        }
        if (_lotKey is not null) wanted.Add(LedgerOrigins.Lot(_lotKey));
        foreach (var member in _counterparties.Select(c => c.Member).OfType<string>()) wanted.Add(LedgerOrigins.Member(member));
        return wanted;
    }

    /// <summary>Every party the documents name, each once, with the roles it plays.</summary>
    private static List<(Party Party, List<string> Roles)> TradeParties(TradeDocumentSet documents)
    {
        var named = new List<(Party, string)>();
        if (documents.PurchaseInvoice is { } purchase) named.AddRange([(purchase.Seller, "supplier"), (purchase.Buyer, "purchase invoice buyer")]);
        if (documents.SalesInvoice is { } sale) named.AddRange([(sale.Seller, "sales invoice seller"), (sale.Buyer, "buyer")]);
        if (documents.BillOfLading is { } bill)
        {
            named.Add((bill.Shipper, "shipper"));
            if (bill.Consignee is { } consignee) named.Add((consignee, "consignee"));
        }
        foreach (var s in documents.Settlements) named.AddRange([(s.Debtor, $"payer of {s.Uetr}"), (s.Creditor, $"payee of {s.Uetr}")]);
        var parties = new List<(Party Party, List<string> Roles)>();
        foreach (var (party, role) in named)
        {
            var index = parties.FindIndex(p => PartyMatch.Same(p.Party, party));
            if (index < 0) parties.Add((party, [role]));
            else parties[index].Roles.Add(role);
        }
        return parties;
    }

    private static string KindName(CollateralKeyKind? kind) => kind switch
    {
        null => "given",
        CollateralKeyKind.BillOfLading => "B/L",
        CollateralKeyKind.InvoiceParticulars => "invoice particulars",
        var k => k.ToString()!.ToLowerInvariant(),
    };

    private static string Short(string hex) => hex.Length > 12 ? hex[..10] + "…" : hex;

    private static string Date(ulong unixSeconds) => DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds).ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
