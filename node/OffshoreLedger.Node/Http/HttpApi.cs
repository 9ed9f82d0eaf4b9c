using System.Globalization;
using Grpc.AspNetCore.Server;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Writers;
using Swashbuckle.AspNetCore.Swagger;

namespace OffshoreLedger.Node.Http;

/// <summary>
/// Every RPC as HTTP/JSON beside gRPC, through gRPC JSON transcoding of the <c>google.api.http</c> routes in the proto:
/// the same handlers, interceptors, authorisation (by the RPC the route belongs to), limits, errors and idempotency.
/// The OpenAPI document is generated from the same contract and served at <see cref="OpenApiPath"/> to known callers.
/// </summary>
public static class HttpApi
{
    public const string OpenApiPath = "/openapi/v1.json";
    private const string DocumentName = "v1";

    /// <summary>Transcoding adds its own method provider beside gRPC's binder (which the node replaces by its checked one).</summary>
    public static IGrpcServerBuilder AddHttpApi(this IGrpcServerBuilder grpc)
    {
        var services = grpc.Services;
        grpc.AddJsonTranscoding(o =>
        {
            o.TypeRegistry = HttpStatusResponse.ErrorDetails;
            // 64-bit integers as JSON strings (proto3 JSON): a browser's numbers lose digits past 2^53.
            o.JsonSettings.WriteInt64sAsStrings = true;
        });
        services.AddGrpcSwagger();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "OffshoreLedger node (offshore_ledger.v1)",
                Version = DocumentName,
                Description =
                    "The node's gRPC API as HTTP/JSON, generated from proto/offshore_ledger/v1. Present an API key in the x-api-key " +
                    "header.",
            });
            o.AddSecurityDefinition(
                "apiKey",
                new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = Auth.ApiKeys.Header });
            o.AddSecurityRequirement(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme
                {
                    Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "apiKey" },
                }] = [],
            });
            var comments = Path.Combine(AppContext.BaseDirectory, "OffshoreLedger.Api.xml");
            if (File.Exists(comments)) o.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
        });
        return grpc;
    }

    public static WebApplication MapHttpApi(this WebApplication app)
    {
        app.MapGet(OpenApiPath, (ISwaggerProvider provider) => Results.Text(OpenApiDocument(provider), "application/json; charset=utf-8"));
        return app;
    }

    /// <summary>The OpenAPI 3 document of the HTTP/JSON routes, as checked in at proto/openapi/offshore_ledger.v1.json.</summary>
    public static string OpenApiDocument(ISwaggerProvider provider)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        provider.GetSwagger(DocumentName).SerializeAsV3(new OpenApiJsonWriter(text));
        return text.ToString() + "\n";
    }
}
