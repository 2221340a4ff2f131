using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RnnLab.Dashboard.Hosting;

namespace RnnLab.Bench;

/// <summary>The dashboard on a free loopback port, as <c>RnnLab.Dashboard --server URL</c> runs it.</summary>
internal sealed class DashboardBenchHost(WebApplication app, Uri address) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    public static async Task<DashboardBenchHost> StartAsync(Uri server)
    {
        var contentRoot = Directory.CreateTempSubdirectory("rnnlab-dashboard-").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "RnnLab.Dashboard", ContentRootPath = contentRoot });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddRnnLabDashboard(options => options.Server = server);
        var app = builder.Build();
        app.MapRnnLabDashboard();
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new DashboardBenchHost(app, new Uri(bound.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
