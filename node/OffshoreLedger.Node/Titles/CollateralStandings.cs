using ContractTitleStatus = OffshoreLedger.Contracts.Bindings.TitleStatus;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Nethereum.RPC.Eth.DTOs;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Index;
using TitleStatus = OffshoreLedger.Api.V1.TitleStatus;

namespace OffshoreLedger.Node.Titles;

/// <summary>
/// What stands on titles and keys, as <c>CheckCollateral</c> answers: from the index (as of its block) or from the chain
/// head (view calls at one block, through <see cref="ChainStateReader"/>). Both read the same records (title, key, lot)
/// and one mapper turns them into the API's standings, so the two consistencies cannot drift apart.
/// </summary>
public sealed class CollateralStandings(LedgerIndex index, LedgerChain chain, TimeProvider time)
{
    /// <summary>A title asked about, as read: null when the ledger has none; its first lot with it.</summary>
    private sealed record TitleRead(ulong Id, TitleState? Title, LotState? Lot);

    /// <summary>A key asked about, as read, and whether its title's lot is over-issued.</summary>
    private sealed record KeyRead(Api.V1.CollateralKey Key, KeyState State, bool LotOverIssued);

    public CheckCollateralResponse FromIndex(IEnumerable<ulong> titleIds, IEnumerable<Api.V1.CollateralKey> keys) =>
        index.Read((ledger, synced) => Answer(
            BlockStamps.Of(synced),
            titleIds.Select(id => ledger.Title(id) is { } t ? new TitleRead(id, t, ledger.Lot(t.LotKey)) : new TitleRead(id, null, null)),
            keys.Select(key =>
            {
                var state = ledger.Key(Hex.Of(key.Value.ToByteArray()));
                return new KeyRead(key, state, ledger.Title(state.TitleId) is { } t && ledger.Lot(t.LotKey)?.OverIssued == true);
            })));

    public async Task<CheckCollateralResponse> AtChainHeadAsync(IEnumerable<ulong> titleIds, IEnumerable<Api.V1.CollateralKey> keys)
    {
        var contract = chain.Contract;
        var head = await chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        var at = new BlockParameter(head.Number);
        var titles = new List<TitleRead>();
        foreach (var id in titleIds)
        {
            var t = await ChainStateReader.ReadTitleAsync(contract, id, at);
            titles.Add(t.Status == ContractTitleStatus.None
                ? new TitleRead(id, null, null)
                : new TitleRead(id, t, await ChainStateReader.ReadLotAsync(contract, Hex.Bytes(t.LotKey), at)));
        }
        var keyReads = new List<KeyRead>();
        foreach (var key in keys)
        {
            var state = await ChainStateReader.ReadKeyAsync(contract, Hex.Of(key.Value.ToByteArray()), at);
            var overIssued = false;
            if (state.TitleId != 0)
            {
                var owner = await ChainStateReader.ReadTitleAsync(contract, state.TitleId, at);
                overIssued = (await ChainStateReader.ReadLotAsync(contract, Hex.Bytes(owner.LotKey), at)).OverIssued;
            }
            keyReads.Add(new KeyRead(key, state, overIssued));
        }
        var stamp = new BlockStamp
        {
            BlockNumber = (ulong)head.Number.Value, BlockHash = ByteString.CopyFrom(Hex.Bytes(head.BlockHash)),
            SyncedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
        };
        return Answer(stamp, titles, keyReads);
    }

    /// <summary>The one mapper from the records read to the API's answer.</summary>
    private CheckCollateralResponse Answer(BlockStamp stamp, IEnumerable<TitleRead> titles, IEnumerable<KeyRead> keys)
    {
        var response = new CheckCollateralResponse { AsOf = stamp };
        foreach (var (id, t, lot) in titles)
        {
            response.Titles.Add(t is null
                ? new TitleStanding { TitleId = id }
                : new TitleStanding
                {
                    TitleId = id, Status = (TitleStatus)(int)t.Status, Holder = ChecksumAddress.Of(t.Holder), Quantity = t.Quantity,
                    Lot = Lot(lot), Lock = Lock(t.PledgeId, t.Pledgee, t.PledgeExpiry),
                });
        }
        foreach (var (key, k, overIssued) in keys)
        {
            response.Keys.Add(new KeyStanding
            {
                Key = key, TitleId = k.TitleId, TitleStatus = (TitleStatus)(int)k.TitleStatus,
                Lock = Lock(k.PledgeId, k.Pledgee, k.PledgeExpiry), LotOverIssued = overIssued,
            });
        }
        response.Clear = IsClear(response);
        return response;
    }

    /// <summary>Clear: nothing asked about is locked, burned (surrendered) or in an over-issued lot.</summary>
    /// An expired lock is still shown but blocks nothing, so it does not make a title or key unclear.
    private bool IsClear(CheckCollateralResponse response)
    {
        var now = time.GetUtcNow();
        bool Free(PledgeLock? held) => held is null || held.ExpiresAt.ToDateTimeOffset() <= now;
        return response.Titles.All(t => Free(t.Lock) && t.Status != TitleStatus.Surrendered && t.Lot?.OverIssued != true)
            && response.Keys.All(k => Free(k.Lock) && k.TitleStatus != TitleStatus.Surrendered && !k.LotOverIssued);
    }

    private static PledgeLock? Lock(ulong pledgeId, string pledgee, ulong expiry) => pledgeId == 0
        ? null
        : new PledgeLock
        {
            PledgeId = pledgeId, Pledgee = ChecksumAddress.Of(pledgee),
            ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds((long)expiry)),
        };

    private static LotStanding? Lot(LotState? lot) => lot is null
        ? null
        : new LotStanding
        {
            LotKey = ByteString.CopyFrom(Hex.Bytes(lot.LotKey)), Attested = lot.Attested, OverIssued = lot.OverIssued,
            AttestedQuantity = lot.AttestedQuantity, LiveQuantity = lot.LiveQuantity, Unit = UnitCode.FromBytes(Hex.Bytes(lot.Unit)),
        };
}
