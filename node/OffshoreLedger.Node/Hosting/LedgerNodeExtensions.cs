using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Nethereum.Web3;
using OffshoreLedger.Node.Attestations;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Documents;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Info;
using OffshoreLedger.Node.Storage;
using OffshoreLedger.Node.Sync;
using OffshoreLedger.Node.Titles;
using OffshoreLedger.Node.Verification;

namespace OffshoreLedger.Node.Hosting;

/// <summary>The node's composition, feature by feature.</summary>
public static class LedgerNodeExtensions
{
    public static WebApplicationBuilder AddLedgerNode(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChainOptions>().BindConfiguration(ChainOptions.Section).ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrEmpty(o.RpcUrl) && !string.IsNullOrEmpty(o.ContractAddress), "Chain:RpcUrl and Chain:ContractAddress are required (or run without them for the development chain).")
            .ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);

        services.AddLedgerStorage().AddLedgerChain().AddChainSync().AddLedgerApi();
        return builder;
    }

    public static IServiceCollection AddLedgerStorage(this IServiceCollection services) =>
        services.AddSingleton(sp => new LedgerStore(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.DataDirectory))
            .AddSingleton<LedgerIndex>();

    public static IServiceCollection AddLedgerChain(this IServiceCollection services) =>
        services.AddSingleton(sp =>
            {
                var url = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChainOptions>>().Value.RpcUrl!;
                var id = new Web3(url).Eth.ChainId.SendRequestAsync().GetAwaiter().GetResult();
                return new ChainId((ulong)id.Value);
            })
            .AddSingleton<OrganisationIdentity>()
            .AddSingleton<LedgerChain>()
            .AddSingleton<OutboxSignal>()
            .AddSingleton<LedgerWriter>()
            .AddSingleton<LedgerWrites>()
            .AddSingleton<Titles.PledgeConsents>()
            .AddSingleton<Titles.FinancingCommitments>()
            .AddHostedService<OutboxSender>();

    public static IServiceCollection AddChainSync(this IServiceCollection services) =>
        services.AddSingleton<SyncSignal>()
            .AddSingleton<ChainFollower>()
            .AddHostedService(sp => sp.GetRequiredService<ChainFollower>());

    public static IServiceCollection AddLedgerApi(this IServiceCollection services)
    {
        services.AddSingleton<DocumentIntake>();
        services.AddOptions<AnchoringOptions>().BindConfiguration(AnchoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DocumentAnchorer>();
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TradeVerifier>();
        services.AddHostedService(sp => sp.GetRequiredService<DocumentAnchorer>());
        services.AddSingleton<ApiKeyInterceptor>();
        services.AddSingleton<ReadFreshnessInterceptor>();
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ApiKeyInterceptor>();
            o.Interceptors.Add<ReadFreshnessInterceptor>();
            o.MaxReceiveMessageSize = 4 * 1024 * 1024;
        });
        services.Replace(ServiceDescriptor.Singleton(typeof(IServiceMethodProvider<>), typeof(MalformedRequestMethodProvider<>)));
        services.AddGrpcHealthChecks().AddCheck<ChainHealthCheck>("chain");
        services.AddGrpcReflection();
        return services;
    }

    public static WebApplication MapLedgerNode(this WebApplication app)
    {
        app.MapGrpcService<TitleGrpcService>();
        app.MapGrpcService<AttestationGrpcService>();
        app.MapGrpcService<DocumentGrpcService>();
        app.MapGrpcService<NodeGrpcService>();
        app.MapGrpcService<VerificationGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
