using System.Globalization;
using System.Text.Json;
using Nethereum.Signer;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Node.Tests.Governance;

/// <summary>
/// The README's onboarding step: on the running devnet, bank A and bank B (both admins) enrol a new member through the CLI.
/// </summary>
[Collection(RunningDevnetCollection.Name)]
public sealed class DevnetOnboardingTests(RunningDevnet devnet)
{
    private sealed record DevnetNodeEntry(string Name, string Url, string ApiKeysFile);

    private sealed record DevnetEntries(string CertificateAuthorityFile, List<DevnetNodeEntry> Nodes);

    [Fact]
    public async Task Two_admin_banks_onboard_a_new_member_on_the_running_devnet_through_the_cli()
    {
        var data = devnet.Data;
        var home = Directory.CreateTempSubdirectory("offshore-cli-").FullName;
        var newcomer = Eip55.Of(EthECKey.GenerateKey().GetPublicAddress());
        try
        {
            var entries = JsonSerializer.Deserialize<DevnetEntries>(File.ReadAllText(Path.Combine(data, "devnet.json")))!;
            CliParticipant Admin(string name, bool adminKey = true)
            {
                var node = entries.Nodes.Single(n => n.Name == name);
                var keys = DevnetApiKeys.Load(node.ApiKeysFile);
                return new CliParticipant(node.Url, adminKey ? keys.Admin : keys.Write, home, entries.CertificateAuthorityFile);
            }

            var proposed = await Admin("bank A").RunAsync(
                "admin", "propose", "enrol", "--address", newcomer, "--roles", "bank", "--organisation", "Devnet Bank C", "--lei",
                "DEVNETBANKC000000046", "--json");
            var id = proposed.Json.GetProperty("proposalId").GetUInt64().ToString(CultureInfo.InvariantCulture);
            var byTrader = await Admin("trader").RunAsync("admin", "approve", "--proposal", id, "--json");
            var byWriteKey = await Admin("bank B", adminKey: false).RunAsync("admin", "approve", "--proposal", id, "--json");
            var approved = await Admin("bank B").RunAsync("admin", "approve", "--proposal", id, "--json");
            var members = await Admin("bank B").RunAsync("admin", "members", "--json");

            Assert.True(proposed.ExitCode == 0, proposed.ToString());
            Assert.Equal("open", proposed.Json.GetProperty("proposalState").GetString());
            Assert.Equal(
                OffshoreLedger.Api.V1.ErrorReasons.Name(OffshoreLedger.Api.V1.ErrorReason.NotAnAdmin),
                byTrader.Json.GetProperty("error").GetProperty("reason").GetString());
            Assert.Equal(
                OffshoreLedger.Api.V1.ErrorReasons.Name(OffshoreLedger.Api.V1.ErrorReason.ScopeMissing),
                byWriteKey.Json.GetProperty("error").GetProperty("reason").GetString());
            Assert.True(approved.ExitCode == 0, approved.ToString());
            Assert.Equal("executed", approved.Json.GetProperty("proposalState").GetString());
            var member = members.Json.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("address").GetString() == newcomer);
            Assert.True(member.GetProperty("active").GetBoolean());
            Assert.Equal(
                ("Devnet Bank C", "DEVNETBANKC000000046"),
                (member.GetProperty("organisationName").GetString(), member.GetProperty("lei").GetString()));
            var admins = members.Json.GetProperty("admins").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Contains(
                members.Json.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("index").GetUInt32() == 1)
                .GetProperty("address").GetString(), admins);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
