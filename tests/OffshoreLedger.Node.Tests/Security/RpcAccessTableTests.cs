using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using OffshoreLedger.Api.V1;
using OffshoreLedger.Node.Auth;

namespace OffshoreLedger.Node.Tests.Security;

/// <summary>Every RPC declares its scope in the contract, and a node refuses to serve one that does not.</summary>
public sealed class RpcAccessTableTests
{
    /// <summary>The RPCs that sign a chain transaction or store documents: the oracle the declarations are checked against.</summary>
    private static readonly HashSet<string> Writes =
    [
        "RegisterTitle", "Pledge", "Release", "TransferTitle", "SurrenderTitle", "PublishLoadingAttestation", "AnchorDocuments",
        "Propose", "Approve", "WithdrawApproval", "ExecuteProposal",
    ];

    [Fact]
    public void Every_rpc_of_the_contract_declares_its_scope()
    {
        var contract = RpcAccessTable.Contract().ToList();

        Assert.NotEmpty(contract);
        var undeclared = contract.Where(c => c.Scope == AccessScope.Unspecified).Select(c => c.Method.FullName).ToList();
        Assert.True(undeclared.Count == 0, "Undeclared: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void Every_write_rpc_requires_the_write_scope_and_no_read_rpc_more_than_read()
    {
        foreach (var (method, scope) in RpcAccessTable.Contract())
        {
            var expected = Writes.Contains(method.Name) ? AccessScope.Write : AccessScope.Read;
            Assert.True(scope >= expected, $"{method.FullName} declares {scope}, it needs at least {expected}");
        }
    }

    [Fact]
    public void Every_governance_rpc_reads_or_writes_only_with_the_admin_scope()
    {
        var governance = RpcAccessTable.Contract().Where(c => c.Method.Service.Name == "GovernanceService").ToList();

        Assert.Equal(
            ["ListMembers", "ListBindings", "ListProposals", "Propose", "Approve", "WithdrawApproval", "ExecuteProposal"],
            governance.Select(c => c.Method.Name));
        Assert.All(governance, c => Assert.Equal(AccessScope.Admin, c.Scope));
    }

    [Fact]
    public void A_node_refuses_to_start_with_an_rpc_that_declares_no_scope()
    {
        var sneaky = Endpoint(
            new Method<Empty, Empty>(MethodType.DuplexStreaming, "offshore_ledger.v1.TitleService", "Sneaky", Marshaller, Marshaller));

        var error = Assert.Throws<InvalidOperationException>(() => RpcAccessTable.For([Endpoint(ContractMethod("Pledge")), sneaky]));

        Assert.Contains("offshore_ledger.v1.TitleService/Sneaky", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scopes_follow_the_matched_endpoint_and_only_health_and_reflection_are_open()
    {
        var pledge = Endpoint(ContractMethod("Pledge"));
        var check = Endpoint(ContractMethod("CheckCollateral"));
        var health = Endpoint(new Method<Empty, Empty>(MethodType.Unary, "grpc.health.v1.Health", "Check", Marshaller, Marshaller));
        var table = RpcAccessTable.For([pledge, check, health]);

        Assert.Equal(Access.Scope(Scopes.Write), table.Required(pledge));
        Assert.Equal(Access.Scope(Scopes.Read), table.Required(check));
        Assert.Equal(Access.Open, table.Required(health));
        Assert.Equal(Access.AnyCaller, table.Required(null));
        Assert.Equal(Access.AnyCaller, table.Required(new Endpoint(null, new EndpointMetadataCollection(), "not gRPC")));
    }

    private static readonly Marshaller<Empty> Marshaller = Marshallers.Create(_ => [], _ => new Empty());

    private static Method<Empty, Empty> ContractMethod(string name) =>
        new(MethodType.Unary, "offshore_ledger.v1.TitleService", name, Marshaller, Marshaller);

    private static Endpoint Endpoint(IMethod method) =>
        new(null, new EndpointMetadataCollection(new GrpcMethodMetadata(typeof(object), method)), method.FullName);
}
