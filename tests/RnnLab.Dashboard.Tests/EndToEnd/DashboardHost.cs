using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RnnLab.Dashboard.Hosting;

namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>
/// The dashboard on a free loopback port in a host named like the all-in-one server ("rnnlab"), so the tests also
/// prove that plotly.js and the framework scripts are found when the dashboard is not the host application.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<DashboardHost> StartAsync(Uri server, string? apiKey = null)
    {
        // An empty content root: the server's appsettings.json next to the tests must not bind its ports here.
        var contentRoot = Directory.CreateTempSubdirectory("rnnlab-dashboard-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "rnnlab", ContentRootPath = contentRoot });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddRnnLabDashboard(options =>
        {
            options.Server = server;
            options.ApiKey = apiKey;
        });
        var app = builder.Build();
        app.MapRnnLabDashboard();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new DashboardHost(app, new Uri(bound.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
