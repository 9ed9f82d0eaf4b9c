using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Ledger.Decoding;
using OffshoreLedger.Ledger.Replay;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Identity;

namespace OffshoreLedger.Node.Titles;

/// <summary>A title's events in their API form (which events concern a title: <see cref="Index.LedgerRecord.Of"/>).</summary>
public static class TitleEvents
{
    public static TitleEvent? ToProto(LedgerEvent logged)
    {
        var message = new TitleEvent
        {
            BlockNumber = (ulong)logged.BlockNumber,
            TransactionHash = ByteString.CopyFrom(Hex.Bytes(logged.TransactionHash)),
            LogIndex = (uint)logged.LogIndex,
        };
        switch (logged.Event)
        {
            case TitleRegisteredEvent e:
                message.Registered = new TitleRegistered
                {
                    // The proto's one lot: the first (a multi-HS title books further lots, listed by the chain's titleLots).
                    TitleId = e.TitleId, LotKey = ByteString.CopyFrom(e.LotKeys[0]), Holder = ChecksumAddress.Of(e.Holder),
                    Registrar = ChecksumAddress.Of(e.Issuer),
                    Quantity = e.Quantities[0], Unit = UnitCode.FromBytes(e.Unit), Keys = { e.Keys.Select(ByteString.CopyFrom) },
                };
                break;
            case TitleTransferredEvent e:
                message.Transferred = new TitleTransferred { TitleId = e.TitleId, From = ChecksumAddress.Of(e.From),
                    To = ChecksumAddress.Of(e.To), By = ChecksumAddress.Of(e.By) };
                break;
            case TitleSurrenderedEvent e:
                message.Surrendered = new TitleSurrendered { TitleId = e.TitleId, By = ChecksumAddress.Of(e.By), PledgeId = e.PledgeId };
                break;
            case PledgedEvent e:
                message.Pledged = new Pledged
                {
                    PledgeId = e.PledgeId, Pledgee = ChecksumAddress.Of(e.Pledgee),
                    FinancingReferenceHash = ByteString.CopyFrom(e.FinancingReference),
                    ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds((long)e.Expiry)),
                    TitleIds = { e.TitleIds }, Keys = { e.Keys.Select(ByteString.CopyFrom) }, Borrower = ChecksumAddress.Of(e.Borrower),
                };
                break;
            case PledgeBlockedEvent e:
                message.PledgeBlocked = new PledgeBlocked
                {
                    Bank = ChecksumAddress.Of(e.Bank), ConflictingPledgeId = e.ConflictingPledgeId,
                    FinancingReferenceHash = ByteString.CopyFrom(e.FinancingReference),
                    TitleIds = { e.TitleIds }, Keys = { e.Keys.Select(ByteString.CopyFrom) }, Borrower = ChecksumAddress.Of(e.Borrower),
                };
                break;
            case ReleasedEvent e:
                message.Released = new Released { PledgeId = e.PledgeId, By = ChecksumAddress.Of(e.By), TitleIds = { e.TitleIds },
                    Keys = { e.Keys.Select(ByteString.CopyFrom) } };
                break;
            default:
                return null;
        }
        return message;
    }
}
