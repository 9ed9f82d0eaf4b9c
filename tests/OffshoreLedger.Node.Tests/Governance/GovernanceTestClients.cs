using Nethereum.Signer;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Client.Connection;

namespace OffshoreLedger.Node.Tests.Governance;

/// <summary>What the governance tests share: an SDK client of a node, a fresh address, an enrolment proposal.</summary>
internal static class GovernanceTestClients
{
    /// <summary>
    /// A client of <paramref name="node"/> with <paramref name="apiKey"/> (default: the admin key every test node accepts).
    /// </summary>
    public static LedgerClient ClientOf(RunningNode node, string apiKey = ConsortiumFixture.AdminKey) =>
        new(new LedgerClientOptions { Address = new Uri(node.Url), ApiKey = apiKey, Deadline = TimeSpan.FromSeconds(60) });

    /// <summary>A fresh address in EIP-55 case, as the node's answers give addresses.</summary>
    public static string RandomAddress() => Eip55.Of(EthECKey.GenerateKey().GetPublicAddress());

    public static ProposeRequest Enrol(string address, string organisation, params MemberRole[] roles) => new()
    {
        EnrolMember = new EnrolMember { Address = address, OrganisationName = organisation, Roles = { roles } },
    };
}
