using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RnnLab.Server.Hosting;

/// <summary>
/// A whole RnnLab server in this process on a free loopback port, configured only by the given settings:
/// what <c>rnnlab run</c> uses instead of a remote server, and what the integration tests start.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private LocalServer(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    /// <summary>The h2c address of the gRPC API, e.g. http://127.0.0.1:40123.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => App.Services;

    /// <param name="settings">Configuration keys as in appsettings.json ("Storage:Provider" = "Postgres").</param>
    /// <param name="configure">Last changes before the host is built (tests add exporters here).</param>
    /// <param name="port">The port to listen on; 0 picks a free one.</param>
    public static async Task<LocalServer> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        Action<WebApplicationBuilder>? configure = null,
        int port = 0,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "rnnlab" });
        builder.Configuration.AddInMemoryCollection(WithFreeSiloPorts(settings));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddRoutingCore();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.AddRnnLabServer();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseRouting();
        app.MapRnnLabServer();
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalServer(app, new Uri(bound.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>Free ports for the silo unless set, so several local servers (tests, a serve next to a run) can coexist.</summary>
    private static Dictionary<string, string?> WithFreeSiloPorts(IReadOnlyDictionary<string, string?> settings)
    {
        var result = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
        result.TryAdd("Cluster:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        result.TryAdd("Cluster:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return result;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
