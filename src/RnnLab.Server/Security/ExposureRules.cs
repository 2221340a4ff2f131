using System.Net;

namespace RnnLab.Server.Security;

/// <summary>
/// Start-up rules that keep a server from being exposed by accident: a blank API key is refused (it would let any
/// caller that sends an empty bearer token in), and a server whose configured endpoints listen beyond loopback must
/// have API keys unless <c>Api:AllowAnonymous=true</c> says the operator means it.
/// </summary>
public static class ExposureRules
{
    /// <summary>Throws <see cref="InvalidOperationException"/> naming the setting to change; returns the public URLs
    /// an open server listens on (for the warning) or none.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, ApiSecurityOptions api)
    {
        var blank = api.Keys.Select((key, i) => (key, name: $"Api:Keys:{i}"))
            .Concat(api.ReadKeys.Select((key, i) => (key, name: $"Api:ReadKeys:{i}")))
            .Where(entry => string.IsNullOrWhiteSpace(entry.key))
            .Select(entry => entry.name)
            .ToList();
        if (blank.Count > 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(", ", blank)} {(blank.Count == 1 ? "is" : "are")} empty: an API key must not be blank. Remove it or set a long random key.");
        }

        var exposed = ConfiguredUrls(configuration).Where(url => !IsLoopback(url)).ToList();
        if (exposed.Count == 0 || api.Enabled)
        {
            return [];
        }

        if (!api.AllowAnonymous)
        {
            throw new InvalidOperationException(
                $"the server listens on {string.Join(", ", exposed)} beyond this machine but no API keys are configured, so anyone " +
                "who reaches it could submit sweeps. Set Api:Keys:0 (RNNLAB_API__KEYS__0), bind to 127.0.0.1, or set " +
                "Api:AllowAnonymous=true (RNNLAB_API__ALLOWANONYMOUS=true) if an open server is really meant.");
        }

        return exposed;
    }

    /// <summary>Kestrel endpoint URLs and the <c>urls</c> setting (ASPNETCORE_URLS, --urls).</summary>
    public static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }

        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }
    }

    /// <summary>The port of the named Kestrel endpoint (e.g. "Web"), when one is configured.</summary>
    public static int? EndpointPort(IConfiguration configuration, string name) =>
        configuration[$"Kestrel:Endpoints:{name}:Url"] is { } url && TryParse(url, out var uri) ? uri.Port : null;

    internal static bool IsLoopback(string url)
    {
        if (!TryParse(url, out var uri))
        {
            return false;
        }

        var host = uri.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
               (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    // Kestrel accepts wildcard hosts (http://*:5180, http://+:5180) that Uri does not parse: they are not loopback.
    private static bool TryParse(string url, out Uri uri) =>
        Uri.TryCreate(url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal),
            UriKind.Absolute, out uri!);
}
