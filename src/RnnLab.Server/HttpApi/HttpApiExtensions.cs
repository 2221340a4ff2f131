using Google.Protobuf.Reflection;
using Google.Rpc;
using Microsoft.OpenApi.Models;

namespace RnnLab.Server.HttpApi;

/// <summary>
/// HTTP/JSON next to gRPC: every SweepService method answers at the path of its <c>google.api.http</c> rule
/// (gRPC JSON transcoding), through the same interceptors (API keys, error mapping), with an OpenAPI description.
/// Transcoded calls are HTTP/1.1, so they are reached on the server's HTTP/1.1 port, not the h2c gRPC port.
/// </summary>
public static class HttpApiExtensions
{
    public static IServiceCollection AddRnnLabHttpApi(this IServiceCollection services)
    {
        // Transcoding applies to every gRPC service, behind the interceptors each one is configured with.
        services.AddGrpc().AddJsonTranscoding(options =>
        {
            // Error bodies are google.rpc.Status; its details (a BadRequest's field paths) are Any, written by type.
            options.TypeRegistry = TypeRegistry.FromMessages(BadRequest.Descriptor, ErrorInfo.Descriptor);
        });
        services.AddGrpcSwagger();
        services.AddSwaggerGen(swagger =>
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "RnnLab API",
                Version = "v1",
                Description = "The rnnlab.v1.SweepService over HTTP/JSON. Send 'Authorization: Bearer KEY' when the server has API keys.",
            }));
        return services;
    }

    /// <summary>Serves the OpenAPI description of the HTTP/JSON API at /openapi/v1.json.</summary>
    public static IEndpointRouteBuilder MapRnnLabOpenApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSwagger("/openapi/{documentName}.json");
        return endpoints;
    }
}
