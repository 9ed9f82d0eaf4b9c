using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using OffshoreLedger.Api.V1;
using Spectre.Console;

namespace OffshoreLedger.Cli.Output;

/// <summary>How ledger values read in JSON (hex bytes, ISO 8601 UTC, camelCase names) and in tables.</summary>
public static class Views
{
    public static string Hex(ByteString bytes) => bytes.IsEmpty ? "" : "0x" + Convert.ToHexStringLower(bytes.Span);

    public static string Short(ByteString bytes) => Short(Hex(bytes));

    public static string Short(string hex) => hex.Length > 18 ? $"{hex[..10]}…{hex[^6..]}" : hex;

    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, System.Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static string Time(Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => [.. items.Select(map)];

    /// <summary>"(as of block N)", and a warning when the node says it cannot vouch that the answer is current.</summary>
    public static string AsOf(BlockStamp? stamp) => stamp is { Stale: true }
        ? $"[grey](as of block {stamp.BlockNumber})[/] [yellow]STALE[/]: the node has not been at the chain's head since " +
            $"{(stamp.SyncedAt is null ? "it started" : Time(stamp.SyncedAt.ToDateTimeOffset()))}"
        : $"[grey](as of block {stamp?.BlockNumber})[/]";

    // ---- receipts ---------------------------------------------------------------------------

    public static void AddReceipt(JsonObject json, WriteReceipt? receipt)
    {
        json["requestId"] = receipt?.RequestId ?? "";
        json["state"] = receipt is null ? "unspecified" : Name(receipt.State);
        json["transactionHash"] = receipt is null ? "" : Hex(receipt.TransactionHash);
        json["block"] = receipt?.BlockNumber ?? 0;
    }

    public static string Receipt(WriteReceipt? receipt) => receipt is null
        ? "[grey]no receipt[/]"
        : $"[grey]transaction[/] {Hex(receipt.TransactionHash)} [grey]in block[/] {receipt.BlockNumber} [grey]({Name(receipt.State)})[/]";

    // ---- keys and standings ----------------------------------------------------------------

    public static string KindName(Api.V1.CollateralKeyKind kind) =>
        kind == Api.V1.CollateralKeyKind.Unspecified ? "key" : Name(kind);

    public static JsonObject Key(Api.V1.CollateralKey key) => new() { ["kind"] = KindName(key.Kind), ["key"] = Hex(key.Value) };

    public static Table KeyTable(IEnumerable<Api.V1.CollateralKey> keys)
    {
        var table = new Table().AddColumn("Kind").AddColumn("Key");
        foreach (var key in keys) table.AddRow(Markup.Escape(KindName(key.Kind)), Hex(key.Value));
        return table;
    }

    public static JsonObject? Lock(PledgeLock? pledge, MemberLabels labels) => pledge is null
        ? null
        : new JsonObject
        {
            ["pledgeId"] = pledge.PledgeId, ["pledgee"] = pledge.Pledgee, ["pledgeeName"] = labels.NameOf(pledge.Pledgee),
            ["expiresAt"] = Time(pledge.ExpiresAt),
        };

    public static string LockText(PledgeLock? pledge, MemberLabels labels) => pledge is null
        ? "[green]not pledged[/]"
        : $"[yellow]pledged[/] to {Markup.Escape(labels.Label(pledge.Pledgee))} [grey](pledge {pledge.PledgeId}, until " +
            $"{Time(pledge.ExpiresAt.ToDateTimeOffset())})[/]";

    public static string Status(Api.V1.TitleStatus status) => status switch
    {
        Api.V1.TitleStatus.Live => "live",
        Api.V1.TitleStatus.Surrendered => "surrendered",
        _ => "none",
    };

    // ---- title events ------------------------------------------------------------------------

    public static JsonObject Event(TitleEvent e)
    {
        var json = new JsonObject
        {
            ["block"] = e.BlockNumber,
            ["transactionHash"] = Hex(e.TransactionHash),
            ["logIndex"] = e.LogIndex,
            ["kind"] = Name(e.KindCase),
        };
        switch (e.KindCase)
        {
            case TitleEvent.KindOneofCase.Registered:
                json["titleId"] = e.Registered.TitleId;
                json["lotKey"] = Hex(e.Registered.LotKey);
                json["holder"] = e.Registered.Holder;
                json["registrar"] = e.Registered.Registrar;
                json["quantity"] = e.Registered.Quantity;
                json["unit"] = e.Registered.Unit;
                json["keys"] = Array(e.Registered.Keys, k => Hex(k));
                break;
            case TitleEvent.KindOneofCase.Transferred:
                json["titleId"] = e.Transferred.TitleId;
                json["from"] = e.Transferred.From;
                json["to"] = e.Transferred.To;
                json["by"] = e.Transferred.By;
                break;
            case TitleEvent.KindOneofCase.Surrendered:
                json["titleId"] = e.Surrendered.TitleId;
                json["by"] = e.Surrendered.By;
                json["pledgeId"] = e.Surrendered.PledgeId;
                break;
            case TitleEvent.KindOneofCase.Pledged:
                json["pledgeId"] = e.Pledged.PledgeId;
                json["pledgee"] = e.Pledged.Pledgee;
                json["financingReferenceHash"] = Hex(e.Pledged.FinancingReferenceHash);
                json["expiresAt"] = Time(e.Pledged.ExpiresAt);
                json["titleIds"] = Array(e.Pledged.TitleIds, id => id);
                json["keys"] = Array(e.Pledged.Keys, k => Hex(k));
                break;
            case TitleEvent.KindOneofCase.PledgeBlocked:
                json["bank"] = e.PledgeBlocked.Bank;
                json["conflictingPledgeId"] = e.PledgeBlocked.ConflictingPledgeId;
                json["financingReferenceHash"] = Hex(e.PledgeBlocked.FinancingReferenceHash);
                json["titleIds"] = Array(e.PledgeBlocked.TitleIds, id => id);
                json["keys"] = Array(e.PledgeBlocked.Keys, k => Hex(k));
                break;
            case TitleEvent.KindOneofCase.Released:
                json["pledgeId"] = e.Released.PledgeId;
                json["by"] = e.Released.By;
                json["titleIds"] = Array(e.Released.TitleIds, id => id);
                json["keys"] = Array(e.Released.Keys, k => Hex(k));
                break;
        }

        return json;
    }

    public static string EventText(TitleEvent e, MemberLabels labels)
    {
        static string Titles(IEnumerable<ulong> ids) => ids.Any() ? "titles " + string.Join(", ", ids) : "no titles";
        var text = e.KindCase switch
        {
            TitleEvent.KindOneofCase.Registered =>
                $"title {e.Registered.TitleId} registered by {labels.Label(e.Registered.Registrar)} for " +
                    $"{labels.Label(e.Registered.Holder)}: {e.Registered.Quantity} {e.Registered.Unit}, {e.Registered.Keys.Count} keys",
            TitleEvent.KindOneofCase.Transferred =>
                $"title {e.Transferred.TitleId} transferred from {labels.Label(e.Transferred.From)} to {labels.Label(e.Transferred.To)} " +
                    $"by {labels.Label(e.Transferred.By)}",
            TitleEvent.KindOneofCase.Surrendered => $"title {e.Surrendered.TitleId} surrendered by {labels.Label(e.Surrendered.By)}",
            TitleEvent.KindOneofCase.Pledged =>
                $"pledge {e.Pledged.PledgeId} to {labels.Label(e.Pledged.Pledgee)} until {Time(e.Pledged.ExpiresAt.ToDateTimeOffset())}: " +
                    $"{Titles(e.Pledged.TitleIds)}, {e.Pledged.Keys.Count} keys",
            TitleEvent.KindOneofCase.PledgeBlocked =>
                $"pledge by {labels.Label(e.PledgeBlocked.Bank)} BLOCKED by pledge {e.PledgeBlocked.ConflictingPledgeId}: " +
                    $"{Titles(e.PledgeBlocked.TitleIds)}, {e.PledgeBlocked.Keys.Count} keys",
            TitleEvent.KindOneofCase.Released =>
                $"pledge {e.Released.PledgeId} released by {labels.Label(e.Released.By)}: {Titles(e.Released.TitleIds)}, " +
                    $"{e.Released.Keys.Count} keys",
            _ => "unknown event",
        };
        return Markup.Escape(text);
    }
}
