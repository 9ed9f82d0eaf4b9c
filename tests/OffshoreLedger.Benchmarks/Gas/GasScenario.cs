using System.Text;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using OffshoreLedger.Contracts;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Contracts.Consent;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Benchmarks.Gas;

/// <summary>
/// Drives every state-changing operation the gas targets name, on a freshly deployed consortium, and reads
/// <c>gasUsed</c> from each receipt. Gas is deterministic for a given bytecode, chain state and hardfork.
/// </summary>
/// <remarks>
/// A warm-up first makes the packed counters slot (titles, pledges, lots) non-zero, so every measurement is
/// the steady state of a running consortium rather than the one-off cost of the very first title or pledge.
/// </remarks>
public sealed class GasScenario
{
    public const int BatchTitles = 10;
    public const int BatchFreeKeys = 100;
    public const int ManyKeys = 10;

    private static readonly byte[] MetricTonnes = Unit("TNE");

    // Fixed times rather than the chain's clock: calldata, and so gas, is then identical from run to run.
    private const ulong LoadedAt = 1_700_000_000; // 2023-11-14, before any block of a fresh chain
    private const ulong Expiry = 4_102_444_800; // 2100-01-01, after any block of a fresh chain

    private readonly LedgerContract _trader;
    private readonly LedgerContract _trader2;
    private readonly LedgerContract _port;
    private readonly LedgerContract _carrier;
    private readonly LedgerContract _bankA;
    private readonly LedgerContract _bankB;
    private readonly LedgerContract _auditor;
    private readonly string _traderAddress;
    private readonly string _bankAAddress;
    private readonly string _bankBAddress;
    private readonly string _trader2Address;
    private readonly List<GasMeasurement> _measurements = [];
    private readonly string _traderKey;
    private readonly string _carrierKey;
    private readonly LedgerContract _admin1;
    private readonly LedgerContract _admin2;
    private readonly ConsentDomain _domain;
    private ulong _traderNonce;

    private GasScenario(DevConsortium consortium, AnvilChain chain)
    {
        _traderKey = chain.Accounts[consortium.Member("trader").Account].PrivateKey;
        _carrierKey = chain.Accounts[consortium.Member("carrier").Account].PrivateKey;
        _admin1 = consortium.LedgerAs(consortium.Admins[0]);
        _admin2 = consortium.LedgerAs(consortium.Admins[1]);
        _domain = new ConsentDomain(chain.ChainId, consortium.ContractAddress);
        _trader = consortium.LedgerAs(consortium.Member("trader"));
        _trader2 = consortium.LedgerAs(consortium.Member(SecondTrader.Name));
        _port = consortium.LedgerAs(consortium.Member("port"));
        _carrier = consortium.LedgerAs(consortium.Member("carrier"));
        _bankA = consortium.LedgerAs(consortium.Member("bank A"));
        _bankB = consortium.LedgerAs(consortium.Member("bank B"));
        _auditor = consortium.LedgerAs(consortium.Member("auditor"));
        _traderAddress = consortium.Member("trader").Address;
        _bankAAddress = consortium.Member("bank A").Address;
        _bankBAddress = consortium.Member("bank B").Address;
        _trader2Address = consortium.Member(SecondTrader.Name).Address;
    }

    /// <summary>A second trader to endorse a title to: the standard development members include only one.</summary>
    public static DevMemberPlan SecondTrader { get; } = new("trader 2", "Devnet Commodities Ltd", MemberRoles.Trader);

    /// <summary>The members this scenario needs: the standard development members and <see cref="SecondTrader"/>.</summary>
    public static IReadOnlyList<DevMemberPlan> Members { get; } = [.. DevConsortium.StandardMembers, SecondTrader];

    public static async Task<IReadOnlyList<GasMeasurement>> RunAsync(
        DevConsortium consortium, AnvilChain chain, CancellationToken cancellationToken)
    {
        var scenario = new GasScenario(consortium, chain);
        await scenario.WarmUpAsync(cancellationToken);
        await scenario.MeasureRegistrationAsync(cancellationToken);
        await scenario.MeasurePledgesAsync(cancellationToken);
        await scenario.MeasureTitleLifecycleAsync(cancellationToken);
        return scenario._measurements;
    }

    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        // The fixed expiry lies beyond the default 400-day maximum term: governance lifts the maximum for this scenario.
        var proposal = LedgerEvents.Decode(
            await SendAsync(_admin1, new ProposeMaxPledgeTermFunction { Duration = uint.MaxValue }, cancellationToken))
            .Select(e => e.Event).OfType<ProposalCreatedEvent>().Single().ProposalId;
        await SendAsync(_admin2, new ApproveFunction { ProposalId = proposal }, cancellationToken);
        await AttestAsync("warm-up", 1_000, cancellationToken);
        await RegisterAsync("warm-up", 1, ["warm-up"], cancellationToken);
        await PledgeAsync(_bankA, [], ["warm-up-invoice"], cancellationToken);
    }

    private async Task MeasureRegistrationAsync(CancellationToken cancellationToken)
    {
        Record("attestLoading, brand-new lot", await AttestAsync("attested", 1_000_000, cancellationToken));

        var existing1 = await RegisterAsync("attested", 1, Keys("existing-1", 1), cancellationToken);
        var existing10 = await RegisterAsync("attested", 1, Keys("existing-10", ManyKeys), cancellationToken);
        Record("registerTitle by the bound carrier, 1 key, attested lot", existing1.Gas, GasTarget.RegisterWithOneKey);
        Record($"registerTitle, {ManyKeys} keys, existing attested lot", existing10.Gas);
        Record("registerTitle, each further key, existing lot", Marginal(existing1, existing10), GasTarget.FurtherKey,
            $"({ManyKeys}-key − 1-key) / {ManyKeys - 1}");
        var signed = RegisterTitleFunction.OneLot(
            "CARR", Hash("lot:attested"), _traderAddress, 1, MetricTonnes, CollateralKeys(Keys("carried-1", 1))).Issue;
        var carried = await SendAsync(_trader, new RegisterTitleWithCarrierSignatureFunction
        {
            Issue = signed, Deadline = Expiry, Signature = CarrierIssue.Sign(signed, Expiry, _domain, _carrierKey),
        }, cancellationToken);
        Record("registerTitleWithCarrierSignature carried by the holder, 1 key, attested lot", Gas(carried),
            GasTarget.RegisterWithCarrierSignature,
            "EIP-712 TitleIssue recovered (OpenZeppelin ECDSA)");
        // Since issue 14 a title cannot create its lot (only the port of loading's attestation does): no brand-new-lot rows.
    }

    private async Task MeasurePledgesAsync(CancellationToken cancellationToken)
    {
        var single = await RegisterAsync("attested", 1, Keys("single", 1), cancellationToken);
        var pledge = await PledgeAsync(_bankA, [single.TitleId], [], cancellationToken);
        Record("pledge with consent, 1 title", pledge.Gas, GasTarget.SingleTitlePledge, "EIP-712 consent checked, nonce used");

        var blocked = await SendAsync(_bankB, PledgeMessage(_bankB, [single.TitleId], []), cancellationToken);
        if (!LedgerEvents.Decode(blocked).Any(e => e.Event is PledgeBlockedEvent))
        {
            throw new InvalidOperationException("The double pledge was not recorded as PledgeBlocked.");
        }
        Record("pledge with consent, blocked (title already pledged)", Gas(blocked),
            note: "emits PledgeBlocked; uses the consent's nonce, changes nothing else");

        var release = await SendAsync(
            _bankA, new ReleaseFunction { PledgeId = pledge.PledgeId, TitleIds = [single.TitleId] }, cancellationToken);
        Record("release, 1 title", Gas(release));

        var titles = new List<ulong>(BatchTitles);
        for (var i = 0; i < BatchTitles; i++)
        {
            titles.Add((await RegisterAsync("attested", 1, Keys($"batch-title-{i}", 1), cancellationToken)).TitleId);
        }
        var titleBatch = await PledgeAsync(_bankA, titles, [], cancellationToken);
        Record($"pledge with consent, {BatchTitles} titles in one pledge", titleBatch.Gas);
        Record($"pledge with consent, {BatchTitles} titles: per title", titleBatch.Gas / BatchTitles, GasTarget.BatchedPledgePerUnit,
            $"total / {BatchTitles}");
        Record("pledge with consent, each additional title", (titleBatch.Gas - pledge.Gas) / (BatchTitles - 1), GasTarget.AdditionalTitle,
            $"({BatchTitles}-title − 1-title) / {BatchTitles - 1}");

        var freeKey = await PledgeAsync(_bankA, [], Keys("free-invoice", 1), cancellationToken);
        Record("pledge, 1 free key", freeKey.Gas);

        var freeKeys = await PledgeAsync(_bankA, [], Keys("free-batch", BatchFreeKeys), cancellationToken);
        Record($"pledge, {BatchFreeKeys} free keys in one pledge", freeKeys.Gas);
        Record($"pledge, {BatchFreeKeys} free keys: per key", freeKeys.Gas / BatchFreeKeys, GasTarget.BatchedPledgePerUnit,
            $"total / {BatchFreeKeys}");
    }

    private async Task MeasureTitleLifecycleAsync(CancellationToken cancellationToken)
    {
        var title = await RegisterAsync("attested", 1, Keys("lifecycle", 1), cancellationToken);
        var transfer = await SendAsync(
            _trader, new TransferTitleFunction { TitleId = title.TitleId, NewHolder = _trader2Address }, cancellationToken);
        Record("transferTitle (unpledged, holder endorses)", Gas(transfer), GasTarget.Transfer);

        var surrender = await SendAsync(_trader2, new SurrenderTitleFunction { TitleId = title.TitleId }, cancellationToken);
        Record("surrenderTitle (unpledged)", Gas(surrender));

        var anchor = await SendAsync(_auditor, new AnchorFunction { Root = Hash("root:batch-1"), LeafCount = 1_000 }, cancellationToken);
        Record("anchor (Merkle root of a document batch)", Gas(anchor));
    }

    // ---- operations --------------------------------------------------------------------------

    private async Task<long> AttestAsync(string lot, ulong quantity, CancellationToken cancellationToken)
    {
        var receipt = await SendAsync(_port, new AttestLoadingFunction
        {
            LotKey = Hash("lot:" + lot), Locode = LedgerCode.ToBytes("SGSIN"), Quantity = quantity, Unit = MetricTonnes,
            LoadedAt = LoadedAt, DocumentHash = Hash("attestation:" + lot),
        }, cancellationToken);
        return Gas(receipt);
    }

    private async Task<(ulong TitleId, long Gas)> RegisterAsync(
        string lot, ulong quantity, string[] keyLabels, CancellationToken cancellationToken)
    {
        var receipt = await SendAsync(
            _carrier,
            RegisterTitleFunction.OneLot("CARR", Hash("lot:" + lot), _traderAddress, quantity, MetricTonnes, CollateralKeys(keyLabels)),
            cancellationToken);
        return (Single<TitleRegisteredEvent>(receipt).TitleId, Gas(receipt));
    }

    private async Task<(ulong PledgeId, long Gas)> PledgeAsync(
        LedgerContract bank, List<ulong> titleIds, string[] keyLabels, CancellationToken cancellationToken)
    {
        var receipt = await SendAsync(bank, PledgeMessage(bank, titleIds, keyLabels), cancellationToken);
        return (Single<PledgedEvent>(receipt).PledgeId, Gas(receipt));
    }

    /// <summary>A pledge with the trader's consent at its next nonce (every pledge here is the trader's, granted or blocked).</summary>
    private PledgeFunction PledgeMessage(LedgerContract bank, List<ulong> titleIds, string[] keyLabels)
    {
        var reference = Hash("loan:" + string.Join(",", titleIds) + ":" + keyLabels.FirstOrDefault());
        var keys = CollateralKeys(keyLabels);
        var terms = new PledgeConsentTerms(BankAddress(bank), titleIds, keys, reference, Expiry, _traderNonce++, Expiry);
        return new PledgeFunction
        {
            FinancingReference = reference, Expiry = Expiry, TitleIds = titleIds, Keys = keys,
            Consent = PledgeConsent.Argument(terms, PledgeConsent.Sign(PledgeConsent.Digest(terms, _domain), _traderKey)),
        };
    }

    private string BankAddress(LedgerContract bank) => bank == _bankA ? _bankAAddress : _bankBAddress;

    private static Task<TransactionReceipt> SendAsync<TFunction>(
        LedgerContract signer, TFunction message, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new() => signer.SendAsync(message, cancellationToken);

    // ---- bookkeeping -------------------------------------------------------------------------

    private void Record(string operation, long gas, GasTarget? target = null, string? note = null) =>
        _measurements.Add(new GasMeasurement(operation, gas, target, note));

    private static long Marginal((ulong TitleId, long Gas) one, (ulong TitleId, long Gas) many) => (many.Gas - one.Gas) / (ManyKeys - 1);

    private static long Gas(TransactionReceipt receipt) => (long)receipt.GasUsed.Value;

    private static TEvent Single<TEvent>(TransactionReceipt receipt) =>
        LedgerEvents.Decode(receipt).Select(e => e.Event).OfType<TEvent>().Single();

    private static List<byte[]> CollateralKeys(string[] labels) => [.. labels.Select(l => Hash("key:" + l))];

    private static string[] Keys(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}-{i}")];

    private static byte[] Hash(string label) => Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes("gas:" + label));

    private static byte[] Unit(string code)
    {
        var unit = new byte[8];
        Encoding.ASCII.GetBytes(code).CopyTo(unit, 0);
        return unit;
    }
}
