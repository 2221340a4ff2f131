using Microsoft.AspNetCore.StaticAssets;
using RnnLab.Dashboard.Components;
using RnnLab.Dashboard.Export;

namespace RnnLab.Dashboard.Hosting;

/// <summary>Adds the dashboard to an ASP.NET Core host: on its own (<see cref="DashboardProgram"/>) or inside the RnnLab server.</summary>
public static class DashboardHostingExtensions
{
    /// <summary>Registers the dashboard's services; options come from the "Dashboard" section, then <paramref name="configure"/>.</summary>
    public static WebApplicationBuilder AddRnnLabDashboard(this WebApplicationBuilder builder, Action<DashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRnnLabDashboard(builder.Configuration, configure);
        UseBuildOutputAssets(builder);
        return builder;
    }

    public static IServiceCollection AddRnnLabDashboard(this IServiceCollection services, IConfiguration configuration,
        Action<DashboardOptions>? configure = null)
    {
        var options = services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o =>
        {
            o.Validate();
            return true;
        });
        services.AddSingleton<SweepApi>();
        services.AddSingleton(sp => new DashboardSignIn(sp.GetRequiredService<SweepApi>(),
            sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DashboardOptions>>().Value,
            sp.GetRequiredService<ILogger<DashboardSignIn>>()));
        services.AddRazorComponents().AddInteractiveServerComponents();
        return services;
    }

    /// <summary>
    /// Maps the pages (sweeps at "/", a sweep at "/sweeps/{id}", a trial at "/trials/{id}"), the CSV export and the
    /// static files. Call after <c>UseRouting</c> when the host calls it explicitly.
    /// </summary>
    public static WebApplication MapRnnLabDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseDashboardSignIn();
        app.UseAntiforgery();
        var manifest = Path.Combine(AppContext.BaseDirectory, $"{typeof(DashboardProgram).Assembly.GetName().Name}.staticwebassets.endpoints.json");
        app.MapStaticAssets(File.Exists(manifest) ? manifest : null);
        app.MapSweepExport();
        app.MapTrialStop();
        app.MapSweepReport();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>
    /// Serves plotly.js and the dashboard's files from the build output too, not only from a published folder, in
    /// any environment and whatever the host's application name (the all-in-one server is not named after us).
    /// </summary>
    private static void UseBuildOutputAssets(WebApplicationBuilder builder)
    {
        var runtime = Path.Combine(AppContext.BaseDirectory, $"{typeof(DashboardProgram).Assembly.GetName().Name}.staticwebassets.runtime.json");
        if (File.Exists(runtime))
        {
            builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, runtime);
            builder.WebHost.UseStaticWebAssets();
        }
    }
}
