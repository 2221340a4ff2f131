using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RnnLab.Dashboard.Hosting;

namespace RnnLab.Server.Hosting;

/// <summary>
/// A whole RnnLab server in this process on a free loopback port, configured only by the given settings:
/// what <c>rnnlab run</c> uses instead of a remote server, and what the integration tests start.
/// </summary>
public sealed class LocalServer : IAsyncDisposable
{
    private LocalServer(WebApplication app, Uri address, Uri? dashboardAddress)
    {
        App = app;
        Address = address;
        DashboardAddress = dashboardAddress;
    }

    public WebApplication App { get; }

    /// <summary>The h2c address of the gRPC API, e.g. http://127.0.0.1:40123.</summary>
    public Uri Address { get; }

    /// <summary>The dashboard's HTTP/1.1 address, e.g. http://127.0.0.1:5190/, or null when it was not asked for.</summary>
    public Uri? DashboardAddress { get; }

    public IServiceProvider Services => App.Services;

    /// <param name="settings">Configuration keys as in appsettings.json ("Storage:Provider" = "Postgres").</param>
    /// <param name="configure">Last changes before the host is built (tests add exporters here).</param>
    /// <param name="port">The port to listen on; 0 picks a free one.</param>
    /// <param name="dashboardPort">
    /// When set, the dashboard is served on this port (0 picks a free one) over HTTP/1.1, which browsers speak in
    /// cleartext, unlike the h2c of the gRPC port. "Dashboard:ApiKey" in the settings must be a read key when keys are on.
    /// </param>
    public static async Task<LocalServer> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        Action<WebApplicationBuilder>? configure = null,
        int port = 0,
        CancellationToken cancellationToken = default,
        int? dashboardPort = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "rnnlab" });
        builder.Configuration.AddInMemoryCollection(WithFreeSiloPorts(settings));
        ListenOptions? grpc = null;
        ListenOptions? dashboard = null;
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                grpc = listen;
            });
            if (dashboardPort is { } webPort)
            {
                kestrel.Listen(IPAddress.Loopback, webPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    dashboard = listen;
                });
            }
        });
        builder.Services.AddRoutingCore();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.AddRnnLabServer();
        Uri? address = null;
        if (dashboardPort is not null)
        {
            // The dashboard reads its options on the first page request, after the gRPC port is bound.
            builder.AddRnnLabDashboard(options => options.Server = address);
        }

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseRouting();
        // The dashboard's sweeps page owns "/", so the server's one-line description moves aside.
        app.MapRnnLabServer(dashboardPort is null ? "/" : "/server");
        if (dashboardPort is not null)
        {
            app.MapRnnLabDashboard();
        }

        await app.StartAsync(cancellationToken);
        address = Loopback(grpc!);
        return new LocalServer(app, address, dashboard is null ? null : Loopback(dashboard));
    }

    /// <summary>The bound address of a listener (Kestrel writes the real port back when 0 was asked for).</summary>
    private static Uri Loopback(ListenOptions listen) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{listen.IPEndPoint!.Port}"));

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
