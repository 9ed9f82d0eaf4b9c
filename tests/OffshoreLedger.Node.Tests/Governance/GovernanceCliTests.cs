using Nethereum.Signer;

namespace OffshoreLedger.Node.Tests.Governance;

/// <summary>
/// Two admins onboard a member with <c>offshore admin</c>, each through its own node, reading only the CLI's --json output.
/// </summary>
[Collection(GovernanceCollection.Name)]
public sealed class GovernanceCliTests(GovernanceChainFixture fixture)
{
    [Fact]
    public async Task Two_admins_onboard_a_member_through_the_cli_and_its_json_output_tells_each_step()
    {
        await using var firstAdminNode = await RunningNode.StartForAccountAsync(fixture, 0);
        await using var secondAdminNode = await RunningNode.StartForAccountAsync(fixture, 2);
        await using var bankNode = await RunningNode.StartAsync(fixture, "bank B");
        var home = Directory.CreateTempSubdirectory("offshore-cli-").FullName;
        var firstAdmin = CliParticipant.For(firstAdminNode, home, ConsortiumFixture.AdminKey);
        var secondAdmin = CliParticipant.For(secondAdminNode, home, ConsortiumFixture.AdminKey);
        var notAdmin = CliParticipant.For(bankNode, home, ConsortiumFixture.AdminKey);
        var newcomer = Eip55.Of(EthECKey.GenerateKey().GetPublicAddress());
        try
        {
            var proposed = await firstAdmin.RunAsync(
                "admin", "propose", "enrol", "--address", newcomer, "--roles", "bank,auditor", "--organisation", "CLI Onboarded Bank",
                "--json");
            var id = proposed.Json.GetProperty("proposalId").GetUInt64();
            var open = await secondAdmin.RunAsync("admin", "proposals", "--open", "--json");
            var refused = await notAdmin.RunAsync(
                "admin", "approve", "--proposal", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
            var approved = await secondAdmin.RunAsync(
                "admin", "approve", "--proposal", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
            var members = await secondAdmin.RunAsync("admin", "members", "--json");
            var badRoles = await firstAdmin.RunAsync(
                "admin", "propose", "enrol", "--address", newcomer, "--roles", "banker", "--organisation", "X", "--json");

            Assert.True(proposed.ExitCode == 0, proposed.ToString());
            Assert.Equal("confirmed", proposed.Json.GetProperty("state").GetString());
            Assert.Equal("open", proposed.Json.GetProperty("proposalState").GetString());
            var listed = open.Json.GetProperty("proposals").EnumerateArray().Single(p => p.GetProperty("proposalId").GetUInt64() == id);
            Assert.Equal("enrolMember", listed.GetProperty("kind").GetString());
            Assert.Equal(newcomer, listed.GetProperty("target").GetString());
            Assert.Equal(["bank", "auditor"], listed.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal((1u, 2u), (listed.GetProperty("approvals").GetUInt32(), listed.GetProperty("threshold").GetUInt32()));
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Equal(
                OffshoreLedger.Api.V1.ErrorReasons.Name(OffshoreLedger.Api.V1.ErrorReason.NotAnAdmin),
                refused.Json.GetProperty("error").GetProperty("reason").GetString());
            Assert.True(approved.ExitCode == 0, approved.ToString());
            Assert.Equal("executed", approved.Json.GetProperty("proposalState").GetString());
            Assert.Equal(2, approved.Json.GetProperty("approvedBy").GetArrayLength());
            var member = members.Json.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("address").GetString() == newcomer);
            Assert.True(member.GetProperty("active").GetBoolean());
            Assert.Equal(["bank", "auditor"], member.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(2u, members.Json.GetProperty("threshold").GetUInt32());
            Assert.Equal(Cli.ExitCodes.InvalidInput, badRoles.ExitCode);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task An_admin_binds_a_port_code_withdraws_an_approval_and_reads_the_bindings_through_the_cli()
    {
        await using var firstAdminNode = await RunningNode.StartForAccountAsync(fixture, 1);
        await using var secondAdminNode = await RunningNode.StartForAccountAsync(fixture, 2);
        var home = Directory.CreateTempSubdirectory("offshore-cli-").FullName;
        var firstAdmin = CliParticipant.For(firstAdminNode, home, ConsortiumFixture.AdminKey);
        var secondAdmin = CliParticipant.For(secondAdminNode, home, ConsortiumFixture.AdminKey);
        var port = fixture.Consortium.Member("port").Address.ToLowerInvariant();
        try
        {
            var bind = await firstAdmin.RunAsync("admin", "propose", "bind-port", "--address", port, "--code", "AEJEA", "--json");
            var bindId = bind.Json.GetProperty("proposalId").GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var approved = await secondAdmin.RunAsync("admin", "approve", "--proposal", bindId, "--json");
            var bindings = await secondAdmin.RunAsync("admin", "bindings", "--json");
            var doubtful = await firstAdmin.RunAsync("admin", "propose", "remove", "--address", port, "--json");
            var doubtfulId = doubtful.Json.GetProperty("proposalId").GetUInt64()
                .ToString(System.Globalization.CultureInfo.InvariantCulture);
            var withdrawn = await firstAdmin.RunAsync("admin", "withdraw", "--proposal", doubtfulId, "--json");
            var badCode = await firstAdmin.RunAsync("admin", "propose", "bind-port", "--address", port, "--code", "JEBEL ALI", "--json");

            Assert.True(approved.ExitCode == 0, approved.ToString());
            Assert.Equal(
                ("bindPort", "AEJEA", "executed"),
                (approved.Json.GetProperty("kind").GetString(), approved.Json.GetProperty("code").GetString(),
                approved.Json.GetProperty("proposalState").GetString()));
            Assert.Contains(bindings.Json.GetProperty("bindings").EnumerateArray(), b =>
                b.GetProperty("code").GetString() == "AEJEA" && b.GetProperty("member").GetString() == Eip55.Of(port)
                    && b.GetProperty("kind").GetString() == "unLocode");
            Assert.True(withdrawn.ExitCode == 0, withdrawn.ToString());
            Assert.Equal(
                (0, "open"), (withdrawn.Json.GetProperty("approvals").GetInt32(), withdrawn.Json.GetProperty("proposalState").GetString()));
            Assert.Equal(Cli.ExitCodes.InvalidInput, badCode.ExitCode);
            Assert.Equal("bind_port.code", badCode.Json.GetProperty("error").GetProperty("violations")[0].GetProperty("field").GetString());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
