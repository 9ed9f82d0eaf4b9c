using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OffshoreLedger.Node.Attestations;
using OffshoreLedger.Node.Auth;
using OffshoreLedger.Node.Chain;
using OffshoreLedger.Node.Documents;
using OffshoreLedger.Node.Errors;
using OffshoreLedger.Node.Governance;
using OffshoreLedger.Node.Http;
using OffshoreLedger.Node.Identity;
using OffshoreLedger.Node.Index;
using OffshoreLedger.Node.Info;
using OffshoreLedger.Node.Limits;
using OffshoreLedger.Node.Operations;
using OffshoreLedger.Node.Outbox;
using OffshoreLedger.Node.Storage;
using OffshoreLedger.Node.Sync;
using OffshoreLedger.Node.Telemetry;
using OffshoreLedger.Node.Titles;
using OffshoreLedger.Node.Verification;
using OffshoreLedger.Node.WebConsole;
using OffshoreLedger.Node.Writes;

namespace OffshoreLedger.Node.Hosting;

/// <summary>The node's composition, feature by feature.</summary>
public static class LedgerNodeExtensions
{
    public static WebApplicationBuilder AddLedgerNode(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChainOptions>().BindConfiguration(ChainOptions.Section).ValidateDataAnnotations()
            .Validate(
                o => o.Endpoints.Count > 0 && !string.IsNullOrEmpty(o.ContractAddress),
                "Chain:RpcUrl and Chain:ContractAddress are required (or start with --dev, without Chain:RpcUrl, for a development chain).")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Bound without a change token: ApiKeys follows changes itself, refusing a bad one, where a reloading options
        // monitor would throw the failed validation into whichever thread reported the change.
        services.AddOptions<AuthOptions>().Configure<IConfiguration>((o, c) => c.GetSection(AuthOptions.Section).Bind(o)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        services.AddSingleton(TimeProvider.System);

        services.AddLedgerStorage().AddLedgerChain().AddChainSync().AddLedgerApi();
        builder.AddNodeTelemetry();
        return builder;
    }

    public static IServiceCollection AddLedgerStorage(this IServiceCollection services) =>
        services.AddSingleton(
            sp => new LedgerStore(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.DataDirectory))
            .AddSingleton<OutboxStore>()
            .AddSingleton<DocumentVault>()
            .AddSingleton<LedgerIndex>()
            .AddHostedService<IdleMemoryRelease>();

    public static IServiceCollection AddLedgerChain(this IServiceCollection services) =>
        services.AddSingleton<ChainIdResolution>()
            .AddSingleton(sp => sp.GetRequiredService<ChainIdResolution>().Resolved)
            .AddSingleton(sp => new ChainRpc(
                sp.GetRequiredService<IOptions<ChainOptions>>().Value.Endpoints,
                TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<OutboxOptions>>().Value.RpcTimeoutSeconds),
                sp.GetService<Telemetry.ChainRpcTelemetry>()))
            .AddSingleton<OrganisationIdentity>()
            .AddSingleton<ChainAvailability>()
            .AddSingleton<LedgerChain>()
            .AddSingleton<OutboxSignal>()
            .AddSingleton<LedgerWriter>()
            .AddSingleton<Titles.PledgeConsents>()
            .AddSingleton<Titles.FinancingCommitments>()
            .AddHostedService<OutboxSender>();

    public static IServiceCollection AddChainSync(this IServiceCollection services) =>
        services.AddSingleton<SyncSignal>()
            .AddSingleton<ChainFollower>()
            .AddHostedService(sp => sp.GetRequiredService<ChainFollower>());

    public static IServiceCollection AddLedgerApi(this IServiceCollection services)
    {
        services.AddSingleton<WriteSubmission>();
        services.AddSingleton<DocumentIntake>();
        services.AddSingleton<Titles.CollateralStandings>();
        services.AddOptions<AnchoringOptions>().BindConfiguration(AnchoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DocumentAnchorer>();
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section).ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<TradeVerifier>();
        services.AddSingleton<GovernanceReader>();
        services.AddHostedService(sp => sp.GetRequiredService<DocumentAnchorer>());
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<ReadFreshnessInterceptor>();
        services.AddCallerLimits();
        // What gRPC buffers per service is the largest its RPCs take; each RPC's own limit is checked before parsing.
        services.AddGrpc(o =>
            {
                o.Interceptors.Add<ReadFreshnessInterceptor>();
                o.MaxReceiveMessageSize = MessageSizes.Small;
            })
            .AddServiceOptions<TitleGrpcService>(o => o.MaxReceiveMessageSize = MessageSizes.LargestOf("TitleService"))
            .AddServiceOptions<AttestationGrpcService>(o => o.MaxReceiveMessageSize = MessageSizes.LargestOf("AttestationService"))
            .AddServiceOptions<DocumentGrpcService>(o => o.MaxReceiveMessageSize = MessageSizes.LargestOf("DocumentService"))
            .AddServiceOptions<NodeGrpcService>(o => o.MaxReceiveMessageSize = MessageSizes.LargestOf("NodeService"))
            .AddServiceOptions<VerificationGrpcService>(o => o.MaxReceiveMessageSize = MessageSizes.LargestOf("VerificationService"))
            .AddHttpApi();
        // Replaces grpc-dotnet's binder (the first provider registered); transcoding's provider stays beside it.
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
        app.MapGrpcService<OutboxGrpcService>();
        app.MapGrpcService<GovernanceGrpcService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.UseNodeTelemetry();
        app.MapHttpApi();
        app.MapWebConsole();
        // After mapping: the table is read from the mapped endpoints, and the start fails if any RPC declares no scope.
        app.UseMiddleware<EndpointAuthorisation>(RpcAccessTable.For(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints)));
        // Behind authorisation: limits are per authenticated caller, and a caller without credentials costs no token.
        app.UseCallerLimits();
        app.UseMiddleware<HttpBodyLimit>();
        return app;
    }
}
