using OffshoreLedger.Contracts.Bindings;
using OffshoreLedger.Node.Devnet;

namespace OffshoreLedger.Contracts.Tests;

/// <summary>The run command's deployment: the development consortium, enrolled through governance.</summary>
[Collection(ChainCollection.Name)]
public sealed class DevConsortiumTests(ChainFixture fixture)
{
    [Fact]
    public async Task Dev_consortium_enrols_every_member_through_governance_with_its_roles()
    {
        var devnet = await DevConsortium.DeployAsync(fixture.Chain);

        var ledger = new LedgerContract(fixture.Chain.Web3For(0), devnet.ContractAddress);
        var governance = await ledger.QueryAsync<GovernanceFunction, GovernanceOutput>(new());
        Assert.Equal((uint)DevConsortium.Threshold, governance.Threshold);
        // One enrolment per member, then one binding per carrier code or UN/LOCODE (issue 14).
        var codes = DevConsortium.StandardMembers.Sum(m => m.Codes?.Count ?? 0);
        Assert.Equal((ulong)(devnet.Members.Count + codes), governance.ProposalCount);
        Assert.Contains(devnet.Members, m => m.Roles == MemberRoles.Bank);
        Assert.Contains(devnet.Members, m => m.Roles == MemberRoles.Port);
        foreach (var member in devnet.Members)
        {
            var onChain = await ledger.QueryAsync<MemberOfFunction, MemberOutput>(new() { Account = member.Address });
            Assert.True(onChain.Active, member.Name);
            Assert.Equal((byte)member.Roles, onChain.Roles);
            Assert.Equal(member.Organisation, onChain.Organisation);
        }
        foreach (var plan in DevConsortium.StandardMembers.Where(m => m.Codes is not null))
        {
            var member = devnet.Member(plan.Name);
            foreach (var code in plan.Codes!)
            {
                var bound = plan.Roles.HasFlag(MemberRoles.Carrier)
                    ? await ledger.QueryValueAsync<CarrierOfFunction, string>(new() { Code = LedgerCode.ToBytes(code) })
                    : await ledger.QueryValueAsync<PortOfFunction, string>(new() { Locode = LedgerCode.ToBytes(code) });
                Assert.Equal(member.Address, bound, ignoreCase: true);
            }
        }
    }
}
