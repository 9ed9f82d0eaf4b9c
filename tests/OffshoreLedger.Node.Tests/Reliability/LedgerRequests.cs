using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Contracts.Replay;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>Valid write requests with fresh request ids and fresh random keys, so every one is new to the chain.</summary>
public static class LedgerRequests
{
    public static RegisterTitleRequest Title(string holder) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Holder = holder,
        LotKey = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)),
        Quantity = 100,
        Unit = "TNE",
        Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
    };

    public static PledgeRequest Pledge(params ulong[] titleIds) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        FinancingReference = "LOAN-" + Guid.NewGuid(),
        ExpiresAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(90)),
        TitleIds = { titleIds },
    };

    /// <summary>The one key a <see cref="Title"/> request registers, as the chain's events spell it.</summary>
    public static string KeyOf(RegisterTitleRequest request) => Hex.Of(request.Keys.Single().ToByteArray());
}
