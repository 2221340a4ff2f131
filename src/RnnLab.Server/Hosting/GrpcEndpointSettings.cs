using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RnnLab.Server.Hosting;

/// <summary>
/// Checks the Kestrel endpoint named "Grpc" before the server starts: gRPC needs HTTP/2, and an endpoint that
/// serves HTTP/1.1 only would start fine and then fail every call with "Failed parsing HTTP/2".
/// </summary>
public static class GrpcEndpointSettings
{
    public const string Section = "Kestrel:Endpoints:Grpc";

    /// <exception cref="InvalidOperationException">The endpoint is missing or cannot speak HTTP/2; the message says which key to fix.</exception>
    public static void Validate(IConfiguration configuration, string contentRoot)
    {
        var endpoint = configuration.GetSection(Section);
        var url = endpoint["Url"];
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException(
                $"No gRPC endpoint is configured: {Section}:Url is not set (it is read from appsettings.json in {contentRoot} "
                + "and from RNNLAB_KESTREL__ENDPOINTS__GRPC__URL). Without it the server would serve HTTP/1.1 only and every gRPC call would fail.");
        }

        var text = endpoint["Protocols"] ?? configuration["Kestrel:EndpointDefaults:Protocols"] ?? nameof(HttpProtocols.Http1AndHttp2);
        if (!Enum.TryParse<HttpProtocols>(text, ignoreCase: true, out var protocols) || !Enum.IsDefined(protocols))
        {
            throw new InvalidOperationException(
                $"{Section}:Protocols '{text}' is not valid; use Http2 (cleartext h2c) or, with an https URL, Http1AndHttp2.");
        }

        if (!protocols.HasFlag(HttpProtocols.Http2))
        {
            throw new InvalidOperationException(
                $"{Section}:Protocols is {protocols}, but gRPC needs HTTP/2: set it to Http2 (or, with an https URL, Http1AndHttp2).");
        }

        var tls = url.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        if (!tls && protocols != HttpProtocols.Http2)
        {
            throw new InvalidOperationException(
                $"{Section} ({url}) is cleartext with Protocols {protocols}, which serves HTTP/1.1 only (HTTP/2 alongside HTTP/1.1 "
                + "needs TLS to negotiate): set Protocols to Http2 for cleartext h2c, or use an https URL with a certificate.");
        }
    }
}
