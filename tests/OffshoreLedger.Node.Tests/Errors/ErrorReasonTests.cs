using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;
using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Node.Errors;

namespace OffshoreLedger.Node.Tests.Errors;

/// <summary>
/// Error reasons are part of the API: every reason the node can send is an <see cref="ErrorReason"/> value, the SDK
/// maps each one, and no reason is spelled as a string literal on either side (a client branching on a reason must
/// never meet one outside the enum).
/// </summary>
public sealed partial class ErrorReasonTests
{
    [Fact]
    public void Every_error_the_contracts_declare_has_its_own_reason_and_words()
    {
        var unmapped = LedgerError.DeclaredNames.Where(n => !LedgerRefusals.ByContractError.ContainsKey(n)).ToList();

        Assert.Empty(unmapped);
        Assert.All(LedgerRefusals.ByContractError, r => Assert.NotEqual(ErrorReason.Unspecified, r.Value.Reason));
    }

    [Fact]
    public void Every_reason_the_node_sends_is_in_the_enum_and_every_enum_value_is_sent_somewhere()
    {
        var node = Path.Combine(RepositoryPaths.Root, "node", "OffshoreLedger.Node");
        var sources = Directory.EnumerateFiles(node, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(node, f), Text: File.ReadAllText(f)))
            .ToList();
        var names = ErrorReasons.All.Select(r => r.Name()).ToHashSet(StringComparer.Ordinal);

        // No reason as a literal: a quoted UPPER_SNAKE string that is a reason's name.
        var literals = sources.SelectMany(s => QuotedUpperSnake().Matches(s.Text).Select(m => (s.File, Reason: m.Groups[1].Value)))
            .Where(l => names.Contains(l.Reason))
            .ToList();
        Assert.Empty(literals);

        // Every value is used by the node (by its C# name), so the enum lists nothing the node never sends.
        var used = sources.SelectMany(s => EnumUse().Matches(s.Text).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        var neverSent = System.Enum.GetValues<ErrorReason>().Where(r => r != ErrorReason.Unspecified && !used.Contains(r.ToString()))
            .ToList();
        Assert.Empty(neverSent);
    }

    [Fact]
    public void The_sdk_maps_every_reason_to_the_enum_and_keeps_an_unknown_one_by_name()
    {
        foreach (var reason in ErrorReasons.All)
        {
            var mapped = LedgerException.From(Status(StatusCode.FailedPrecondition, reason.Name(), []));

            Assert.Equal((reason, reason.Name()), (mapped.ErrorReason, mapped.Reason));
        }
        var newer = LedgerException.From(Status(StatusCode.FailedPrecondition, "SOMETHING_A_NEWER_NODE_SENDS", []));
        Assert.Equal((ErrorReason.Unspecified, "SOMETHING_A_NEWER_NODE_SENDS"), (newer.ErrorReason, newer.Reason));
        Assert.IsType<LedgerRefusedException>(newer);
    }

    [Fact]
    public void Sdk_reason_names_are_the_proto_names_not_the_csharp_names()
    {
        Assert.Equal("TITLE_ALREADY_PLEDGED", ErrorReason.TitleAlreadyPledged.Name());
        Assert.Equal("NOT_A_MEMBER", ErrorReason.NotAMember.Name());
        Assert.Equal(ErrorReason.KeyAlreadyLive, ErrorReasons.Parse("KEY_ALREADY_LIVE"));
        Assert.Equal(ErrorReason.Unspecified, ErrorReasons.Parse("KeyAlreadyLive"));
        Assert.Equal(ErrorReason.Unspecified, ErrorReasons.Parse("ERROR_REASON_UNSPECIFIED"));
    }

    [Fact]
    public void A_reused_request_id_and_a_live_key_are_two_reasons_and_two_exceptions()
    {
        var reused = LedgerException.From(RpcErrors.RequestIdReused("r-1"));
        var live = LedgerException.From(
            RpcErrors.Refused("KeyAlreadyLive", new Dictionary<string, string> { ["key"] = "0x01", ["titleId"] = "4" }));

        Assert.Equal(ErrorReason.RequestIdReused, reused.ErrorReason);
        Assert.IsType<RequestIdReusedException>(reused);
        Assert.Equal(ErrorReason.KeyAlreadyLive, live.ErrorReason);
        Assert.IsType<KeyAlreadyLiveException>(live);
    }

    [Fact]
    public void A_refusal_names_itself_in_words_with_checksummed_addresses_role_names_and_rfc3339_times()
    {
        var missingRole = LedgerException.From(RpcErrors.Refused("MissingRole", new Dictionary<string, string>
        {
            ["account"] = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            ["required"] = ((byte)MemberRoles.Trader).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        var expired = LedgerException.From(
            RpcErrors.Refused("ConsentExpired", new Dictionary<string, string> { ["deadline"] = "1796003200" }));

        Assert.Equal(ErrorReason.MissingRole, missingRole.ErrorReason);
        Assert.DoesNotContain("MissingRole", missingRole.Message, StringComparison.Ordinal);
        Assert.Contains("lacks the role", missingRole.Message, StringComparison.Ordinal);
        // The EIP-55 test vector from the EIP itself.
        Assert.Equal("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", missingRole.Metadata["account"]);
        Assert.Equal("MEMBER_ROLE_TRADER", missingRole.Metadata["required"]);
        Assert.Equal("2026-11-30T01:46:40Z", expired.Metadata["deadline"]);
        Assert.DoesNotContain("ConsentExpired", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_governance_refusal_gives_its_times_as_rfc3339_and_its_account_checksummed()
    {
        var early = LedgerException.From(
            RpcErrors.GovernanceRefused(StatusCode.FailedPrecondition, ErrorReason.TimeLocked, "proposal_id", "not yet",
            new Dictionary<string, string> { ["executableAt"] = "1796003200",
                ["account"] = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed" }));

        Assert.Equal(
            ("2026-11-30T01:46:40Z", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            (early.Metadata["executableAt"], early.Metadata["account"]));
    }

    [Fact]
    public void An_error_of_a_newer_contract_is_ledger_refused_with_its_name_in_metadata()
    {
        var refused = LedgerException.From(RpcErrors.Refused("SomethingNew", new Dictionary<string, string> { ["titleId"] = "9" }));

        Assert.Equal((StatusCode.FailedPrecondition, ErrorReason.LedgerRefused), (refused.Status, refused.ErrorReason));
        Assert.Equal(("SomethingNew", "9"), (refused.Metadata["error"], refused.Metadata["titleId"]));
    }

    [Fact]
    public void A_blocked_pledge_reports_the_pledgee_checksummed_and_the_expiry_as_rfc3339()
    {
        var blocked = Assert.IsType<TitleAlreadyPledgedException>(LedgerException.From(
            RpcErrors.AlreadyPledged(3, "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", null, 1796003200)));

        Assert.Equal("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", blocked.Pledgee);
        Assert.Equal("2026-11-30T01:46:40Z", blocked.Metadata["expiry"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796003200), blocked.ExpiresAt);
    }

    [Fact]
    public void The_readme_lists_every_reason_with_what_it_means_and_what_to_do()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));

        var missing = ErrorReasons.All.Select(r => r.Name())
            .Where(name =>
                !readme.Any(line => line.StartsWith($"| `{name}` | ", StringComparison.Ordinal) && line.Count(c => c == '|') == 4))
            .ToList();

        Assert.Empty(missing);
    }

    private static RpcException Status(StatusCode code, string reason, Dictionary<string, string> metadata)
    {
        var info = new ErrorInfo { Reason = reason, Domain = RpcErrors.Domain };
        info.Metadata.Add(metadata);
        return new Google.Rpc.Status { Code = (int)code, Message = "m", Details = { Any.Pack(info) } }.ToRpcException();
    }

    [GeneratedRegex("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"")]
    private static partial Regex QuotedUpperSnake();

    [GeneratedRegex(@"\bErrorReason\.([A-Z][A-Za-z0-9]+)\b")]
    private static partial Regex EnumUse();
}
