using System.Security.Cryptography;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Ledger.Replay;

namespace OffshoreLedger.Node.Tests.Reliability;

/// <summary>Valid write requests with fresh request ids and fresh random keys, so every one is new to the chain.</summary>
public static class LedgerRequests
{
    /// <summary>
    /// The lot these titles book (issue 14: a title names a lot its port attested): attested once per chain by
    /// <see cref="ReadyAsync"/>, with room for every title the tests write.
    /// </summary>
    public static readonly ByteString SharedLot = ByteString.CopyFrom(SHA256.HashData("reliability tests' lot"u8));

    /// <summary>Attests <see cref="SharedLot"/> as the development port, unless attested already.</summary>
    public static Task ReadyAsync(ConsortiumFixture fixture) => TestIssuance.AttestAsync(fixture, SharedLot.ToByteArray());

    /// <summary>A title the carrier's node issues to <paramref name="holder"/> (the node must be the bound carrier's).</summary>
    public static RegisterTitleRequest Title(string holder) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Holder = holder,
        LotKey = SharedLot,
        Quantity = 100,
        Unit = "TNE",
        Keys = { ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) },
        CarrierCode = TestIssuance.CarrierCode,
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
