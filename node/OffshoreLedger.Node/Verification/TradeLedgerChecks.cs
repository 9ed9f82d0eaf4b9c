using CollateralKeyKind = OffshoreLedger.Client.Keys.CollateralKeyKind;
using OffshoreLedger.Client.Documents;
using OffshoreLedger.Client.Merkle;
using OffshoreLedger.Client.Validation;
using OffshoreLedger.Client.Verification;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Index;

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
    private readonly LedgerOrigins _origins;
    private readonly TitleRegisteredEvent? _issued;
    private readonly IReadOnlyList<string> _billLotKeys;
    private readonly IReadOnlyList<TitleLot> _titleLots;
    private readonly IReadOnlyList<(string Key, LotState? State)> _lots;
    private readonly string? _titleUnit;
    private readonly CheckEvidence? _titleEvidence;

    public TradeLedgerChecks(
        LedgerProjection ledger, LedgerIndex.RecordHistory history, TradeInput trade,
        IReadOnlyDictionary<TradeDocumentInput, DocumentProof?> proofs, IReadOnlyList<CounterpartyOptions> counterparties)
    {
        (_ledger, _trade, _proofs, _counterparties, _bank) = (ledger, trade, proofs, counterparties, Hex.Address(trade.Bank));
        (_title, _titleProblem) = FindTitle();
        // The B/L's lots, one per HS heading (from its content), and the lots its title books (from the ledger).
        _billLotKeys = [.. trade.BillOfLading.Keys.Where(k => k.Kind == CollateralKeyKind.ShipmentLot).Select(k => Hex.Of(k.Value))];
        _titleLots = _title is { } t ? [.. ledger.LotsOf(t.Id).Select(l => new TitleLot(l.LotKey, l.Quantity))] : [];
        // Loading is checked on every lot the title books; with no title, on the lots the B/L's content names.
        _lots = [.. (_titleLots.Count > 0 ? _titleLots.Select(l => l.LotKey) : _billLotKeys).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(key => (key, ledger.Lot(key)))];
        _origins = new LedgerOrigins(history);
        // Issue 14: who issued the title, as its registration says (the carrier member, itself or by its signature).
        _issued = _title is { } found ? _origins.Of(LedgerOrigins.Title(found.Id))?.Event as TitleRegisteredEvent : null;
        _titleUnit = _issued is not null ? UnitCode.FromBytes(_issued.Unit)
            : _lots.Select(l => l.State).OfType<LotState>().Select(l => UnitCode.FromBytes(Hex.Bytes(l.Unit)))
                .FirstOrDefault(u => u.Length > 0);
        if (_title is { } registered)
        {
            var description =
                $"title {registered.Id} registered " +
                $"({TitleAgainstBill.Describe(new RegisteredTitle(registered.Id, _titleUnit, _titleLots, Issuer))}; "
                + $"holder {Who(registered.Holder)}), issued by {(Issuer is null ? "an unknown issuer" : Who(Issuer))}";
            _titleEvidence = _origins.Evidence(LedgerOrigins.Title(registered.Id), description, Issuer);
        }
        Comparison = CompareWithBill();
    }

    /// <summary>The member that issued the title, as its registration says, or null when unknown.</summary>
    private string? Issuer => _issued is null ? null : Hex.Address(_issued.Issuer);

    /// <summary>A member as people read it: "Devnet Bank A (0x90f7…b906)"; the evidence's member field keeps the full address.</summary>
    private string Who(string address) => MemberName.Label(address, _ledger.NameOf(address));

    /// <summary>
    /// When the port attested loading of the B/L's lots, if it did: the latest of them (the B/L cannot precede the loading
    /// of any of its goods).
    /// </summary>
    public DateTimeOffset? LoadedAt => _lots.Select(l => l.State).OfType<LotState>().Where(l => l.Attested).Select(l => (long?)l.LoadedAt)
        .Max()
        is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null;

    /// <summary>The title the B/L's keys lead to, or 0.</summary>
    public ulong TitleId => _title?.Id ?? 0;

    /// <summary>
    /// Issue 14: the registered title against its B/L (lots, quantities, unit, issuer), made once and reported by
    /// title_live, loading_attested and goods_and_quantity; null when there is no title or no B/L content to compare.
    /// </summary>
    public TitleComparison? Comparison { get; }

    public IReadOnlyList<TradeCheck> Run() => [DocumentsAnchored(), TitleLive(), LoadingAttested(), UetrUnique(), PartiesKnown()];

    private TradeCheck DocumentsAnchored()
    {
        var findings = new CheckFindings();
        var evidence = new List<CheckEvidence>();
        foreach (var document in _trade.Documents())
        {
            var hash = Hex.Of(document.Hash);
            var proof = _proofs[document];
            if (proof is null && ReferenceEquals(document, _trade.LoadingAttestation)
                && _lots.Select(l => l.State)
                    .FirstOrDefault(l => l is { Attested: true } && Hex.Address(l.DocumentHash) == hash) is { } lot)
            {
                // The port's attestation binds the document's hash on chain itself.
                evidence.Add(
                    _origins.Evidence(
                    LedgerOrigins.Lot(lot.LotKey), $"{document.Role} recorded on chain by port {Who(lot.Port)}", lot.Port, hash));
                continue;
            }
            // Anchors are per (root, leaf count, submitter): the one whose leaf count the proof's tree size names; the
            // evidence names its submitter.
            var anchor = proof is null
                ? null : _ledger.AnchorsOf(Hex.Of(proof.Root)).FirstOrDefault(a => a.LeafCount == (ulong)proof.Proof.TreeSize);
            if (proof is null) findings.Fail(
                $"the {document.Role} ({Short(hash)}) is not anchored: this node did not anchor it and no proof was given");
            else if (anchor is null && proof.Given) findings.Fail(
                $"the root given with the {document.Role} ({Short(Hex.Of(proof.Root))}) is not anchored on chain");
            else if (anchor is null) findings.Warn($"the {document.Role} is queued for anchoring; its batch is not on chain yet");
            else if (!MerkleProofVerifier.Verify(document.Hash, proof.Proof, proof.Root, anchor.LeafCount))
            {
                findings.Fail($"the proof of the {document.Role} ({Short(hash)}) does not lead to the anchored root {Short(anchor.Root)}");
            }
            else
            {
                evidence.Add(
                    _origins.Evidence(
                    LedgerOrigins.Anchor(anchor.Root), $"{document.Role} anchored by {Who(anchor.Submitter)}", anchor.Submitter, hash));
            }
        }
        return TradeCheck.From(
            TradeCheckNames.DocumentsAnchored, findings, $"all {_trade.Documents().Count()} documents are anchored on chain", evidence);
    }

    private TradeCheck TitleLive()
    {
        var findings = new CheckFindings();
        var evidence = new List<CheckEvidence>();
        if (_titleProblem is not null) findings.Fail(_titleProblem);
        if (_title is { } title)
        {
            if (title.Status == TitleStatus.Surrendered) findings.Fail($"title {title.Id} was surrendered: its B/L is spent");
            if (title.Status == TitleStatus.Voided) findings.Fail($"title {title.Id} was voided by the consortium's governance");
            evidence.Add(_titleEvidence!);
            Report(Comparison, findings, evidence);
            if (Comparison is null)
            {
                findings.Warn($"the B/L's content was not given: title {title.Id}'s lots, quantities and issuer were not compared with it");
            }
            if (title.PledgeId != 0)
            {
                evidence.Add(_origins.Evidence(LedgerOrigins.Pledge(title.PledgeId), $"pledge {title.PledgeId} to {Who(title.Pledgee)}"));
                if (title.Pledgee == _bank) findings.Note($"title {title.Id} is pledged to you under pledge {title.PledgeId}");
                else findings.Fail(
                    $"title {title.Id} is pledged to {Who(title.Pledgee)} under pledge {title.PledgeId} until {Date(title.PledgeExpiry)}");
            }
        }
        foreach (var invoice in new[] { _trade.PurchaseInvoice, _trade.SalesInvoice }.OfType<TradeDocumentInput>())
        {
            foreach (var key in invoice.Keys)
            {
                var state = _ledger.Key(Hex.Of(key.Value));
                if (state.PledgeId == 0 || state.Pledgee == _bank) continue;
                evidence.Add(_origins.Evidence(LedgerOrigins.Pledge(state.PledgeId), $"pledge {state.PledgeId} to {Who(state.Pledgee)}"));
                findings.Fail(
                    $"the {invoice.Role}'s {KindName(key.Kind)} key is pledged to {Who(state.Pledgee)} under pledge {state.PledgeId}: " +
                    $"the invoice is financed elsewhere");
            }
        }
        return TradeCheck.From(TradeCheckNames.TitleLive, findings,
            $"title {_title?.Id} is registered, live, carries every key, lot and quantity of the B/L, was issued by its carrier and is " +
            $"not pledged to another bank",
            evidence.DistinctBy(e => e.Description).ToList());
    }

    /// <summary>
    /// Issue 14: the title is what its B/L says — on each of the B/L's lots (one per HS heading) the quantity the B/L states
    /// under that heading, in its unit, and nothing on any other lot — and was issued by the carrier member bound to the
    /// B/L's carrier code (the Qingdao pattern: four titles of 5,000 t for one 20,000 t B/L). Evidence names the issuer.
    /// </summary>
    private TitleComparison? CompareWithBill()
    {
        if (_title is not { } title || _trade.BillOfLading.Document is not BillOfLading bill) return null;
        var registered = new RegisteredTitle(title.Id, _titleUnit, _titleLots, Issuer);
        CheckEvidence[] evidence = [_titleEvidence!];
        var lots = TitleAgainstBill.Lots(bill, _billLotKeys);
        if (lots.Count == 0) return new TitleComparison([$"the B/L names no shipment lot to compare title {title.Id} with"], evidence);
        return new TitleComparison(
            TitleAgainstBill.Contradictions(lots, registered, bill.CarrierCode, _ledger.CarrierOf(bill.CarrierCode)), evidence);
    }

    private static void Report(TitleComparison? comparison, CheckFindings findings, List<CheckEvidence> evidence)
    {
        if (comparison is null) return;
        evidence.AddRange(comparison.Evidence);
        foreach (var contradiction in comparison.Contradictions) findings.Fail(contradiction);
    }

    private TradeCheck LoadingAttested()
    {
        var findings = new CheckFindings();
        var evidence = new List<CheckEvidence>();
        Report(Comparison, findings, evidence);
        if (_lots.Count == 0) findings.Fail("the B/L's lot is unknown: it is not registered as a title and its content was not given");
        var bill = _trade.BillOfLading.Document as BillOfLading;
        var portOfLoading = bill is not null && UnLocode.TryNormalize(bill.PortOfLoading, out var locode) ? locode : null;
        var boundPort = portOfLoading is null ? null : _ledger.PortOf(portOfLoading);
        foreach (var (key, state) in _lots)
        {
            if (state is not { Attested: true } lot)
            {
                findings.Fail($"no port has attested loading of lot {Short(key)}");
                continue;
            }
            var unit = UnitCode.FromBytes(Hex.Bytes(lot.Unit));
            var loading =
                $"loading of {lot.AttestedQuantity} {unit} on lot {Short(lot.LotKey)} attested by {Who(lot.Port)} for {Date(lot.LoadedAt)}";
            evidence.Add(_origins.Evidence(LedgerOrigins.Lot(lot.LotKey), loading, lot.Port, lot.DocumentHash));
            if (_ledger.Member(lot.Port) is not { Active: true } port || !port.Roles.HasFlag(MemberRoles.Port))
            {
                findings.Fail($"lot {Short(lot.LotKey)}'s attestation is by {Who(lot.Port)}, which is not an active port member");
            }
            else if (boundPort is not null && !string.Equals(lot.Port, boundPort, StringComparison.OrdinalIgnoreCase))
            {
                findings.Fail(
                    $"lot {Short(lot.LotKey)} was attested by {Who(lot.Port)}, not by {Who(boundPort)}, the port bound to the B/L's port " +
                    $"of loading {portOfLoading}");
            }
            var booked = BookedOn(key);
            if (_title is { } title && lot.AttestedQuantity < booked)
            {
                findings.Fail(
                    $"the port attested {lot.AttestedQuantity} {unit} on lot {Short(lot.LotKey)}, less than title {title.Id}'s {booked} " +
                    $"{unit}");
            }
            if (lot.OverIssued)
            {
                findings.Fail(
                    $"lot {Short(lot.LotKey)} is over-issued: live titles hold {lot.LiveQuantity} {unit} of the {lot.AttestedQuantity} " +
                    $"{unit} loaded");
            }
        }
        if (_trade.LoadingAttestation is { } given)
        {
            // The attestation given is the port's for one of the lots: the one it names, else any the title books.
            var named = given.Keys.Where(k => k.Kind == CollateralKeyKind.ShipmentLot).Select(k => Hex.Of(k.Value)).FirstOrDefault();
            var attested = _lots.Select(l => l.State).OfType<LotState>().Where(l => l.Attested).ToList();
            var match = attested.FirstOrDefault(l => named is null
                ? Hex.Address(l.DocumentHash) == Hex.Of(given.Hash)
                : string.Equals(l.LotKey, named, StringComparison.OrdinalIgnoreCase));
            if (named is not null && match is null && attested.Count > 0)
            {
                findings.Fail($"the attestation given is for lot {Short(named)}, which is not a lot of the B/L's title");
            }
            else if (attested.Count > 0 && (match is null || Hex.Of(given.Hash) != Hex.Address(match.DocumentHash)))
            {
                var onChain = (match ?? attested[0]).DocumentHash;
                findings.Fail(
                    $"the attestation given ({Short(Hex.Of(given.Hash))}) is not the one the port put on chain ({Short(onChain)})");
            }
        }
        var covered = _title is { } t ? $" covering title {t.Id}'s {_titleLots.Sum(l => (decimal)l.Quantity)} {_titleUnit ?? "units"}" : "";
        var lotsNamed = _lots.Count == 1 ? "the lot" : $"each of the {_lots.Count} lots";
        return TradeCheck.From(
            TradeCheckNames.LoadingAttested, findings, $"an active port member attested loading of {lotsNamed}{covered}",
            evidence.DistinctBy(e => e.Description).ToList());
    }

    /// <summary>What the title books on a lot (a title names each lot once; summed all the same).</summary>
    private decimal BookedOn(string lotKey) =>
        _titleLots.Where(l => string.Equals(l.LotKey, lotKey, StringComparison.OrdinalIgnoreCase)).Sum(l => (decimal)l.Quantity);

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
                if (state.TitleId != 0 && state.TitleId != TitleId) findings.Fail(
                    $"{name} is tied to title {state.TitleId}, not to this trade's title");
                if (state.PledgeId != 0 && state.Pledgee != _bank)
                {
                    evidence.Add(
                        _origins.Evidence(LedgerOrigins.Pledge(state.PledgeId), $"pledge {state.PledgeId} to {Who(state.Pledgee)}"));
                    findings.Fail($"{name} is pledged in another financing: pledge {state.PledgeId} to {Who(state.Pledgee)}");
                }
            }
        }
        return TradeCheck.From(
            TradeCheckNames.UetrUnique, findings, "each UETR appears once in the trade and in no other title or financing on the ledger",
            evidence);
    }

    private TradeCheck PartiesKnown()
    {
        var findings = new CheckFindings();
        var evidence = new List<CheckEvidence>();
        var documents = _trade.DocumentSet();
        if (documents.PurchaseInvoice is { } purchase && documents.SalesInvoice is { } sale
            && !PartyMatch.Same(purchase.Buyer, sale.Seller))
        {
            findings.Fail(
                $"the purchase invoice's buyer {PartyMatch.Describe(purchase.Buyer)} is not the sales invoice's seller " +
                $"{PartyMatch.Describe(sale.Seller)}: the invoices are not one resale");
        }
        var parties = TradeParties(documents);
        if (parties.Count == 0) findings.Warn("no document content names a party");
        foreach (var (party, roles) in parties)
        {
            var known = _counterparties.FirstOrDefault(
                c => PartyMatch.Same(party, new Party { Name = c.Name, Lei = c.Lei, RegistrationId = c.RegistrationId }));
            var who = $"{PartyMatch.Describe(party)} ({string.Join(", ", roles)})";
            if (known is null) findings.Fail($"{who} is neither a consortium member nor a known counterparty");
            else if (known.Member is { } address)
            {
                var member = _ledger.Member(address);
                if (member is not { Active: true }) findings.Fail(
                    $"{who} is tied to member {Hex.Address(address)}, which is not an active consortium member");
                else evidence.Add(
                    _origins.Evidence(
                    LedgerOrigins.Member(address), $"{party.Name} is consortium member {member.Address} ({member.Roles})", member.Address));
            }
            else evidence.Add(new CheckEvidence($"{party.Name} is a known counterparty of this bank"));
        }
        return TradeCheck.From(
            TradeCheckNames.PartiesKnown, findings, $"all {parties.Count} parties are consortium members or known counterparties",
            evidence);
    }

    private (TitleState? Title, string? Problem) FindTitle()
    {
        var keys = _trade.BillOfLading.Keys.Where(k => k.Kind != CollateralKeyKind.ShipmentLot).ToList();
        if (keys.Count == 0) return (null, "the B/L was given without content or keys: its title cannot be found");
        var standings = keys.Select(k => (Key: k, State: _ledger.Key(Hex.Of(k.Value)))).ToList();
        var titles = standings.Select(s => s.State.TitleId).Where(id => id != 0).Distinct().Order().ToList();
        if (titles.Count == 0) return (null, "the B/L is not registered as a title on the ledger");
        if (titles.Count > 1) return (_ledger.Title(titles[0]),
            $"the B/L's keys are in {titles.Count} titles ({string.Join(", ", titles)}): its cargo is on more than one B/L");
        var loose = standings.Where(s => s.State.TitleId == 0).Select(s => KindName(s.Key.Kind)).ToList();
        return loose.Count > 0
            ? (_ledger.Title(titles[0]),
                $"{loose.Count} of the B/L's keys ({string.Join(", ", loose.Distinct())}) are in no title: this B/L differs from the one " +
                $"registered as title {titles[0]}")
            : (_ledger.Title(titles[0]), null);
    }

    /// <summary>Every party the documents name, each once, with the roles it plays.</summary>
    private static List<(Party Party, List<string> Roles)> TradeParties(TradeDocumentSet documents)
    {
        var named = new List<(Party, string)>();
        if (documents.PurchaseInvoice is { } purchase) named.AddRange(
            [(purchase.Seller, "supplier"), (purchase.Buyer, "purchase invoice buyer")]);
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

    private static string Date(ulong unixSeconds) => DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds)
        .ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
