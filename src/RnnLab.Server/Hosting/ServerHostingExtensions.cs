using Microsoft.Extensions.Diagnostics.HealthChecks;
using RnnLab.Server.Grpc;
using RnnLab.Server.HttpApi;
using RnnLab.Server.Security;
using RnnLab.Server.Sweeping;
using RnnLab.Server.Telemetry;
using RnnLab.Grains;
using RnnLab.Storage;

namespace RnnLab.Server.Hosting;

/// <summary>Builds the RnnLab host: configuration, storage, the silo, the gRPC API and telemetry.</summary>
public static class ServerHostingExtensions
{
    /// <summary>Environment variables with this prefix override appsettings.json (RNNLAB_STORAGE__PROVIDER=Postgres).</summary>
    public const string EnvironmentPrefix = "RNNLAB_";

    public static WebApplicationBuilder AddRnnLabServer(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        // Role, Storage, Slots, ThreadsPerTrial, LeaseDuration, CheckpointEvery and MaxLostAttempts are top-level settings.
        var orchestration = new OrchestrationOptions();
        builder.Configuration.Bind(orchestration);
        orchestration.Storage.PlaceSqliteFileIn(DataFolder.Resolve(builder.Configuration));
        var role = orchestration.Role;

        builder.Services.Configure<ApiSecurityOptions>(builder.Configuration.GetSection(ApiSecurityOptions.Section));
        var api = builder.Configuration.GetSection(ApiSecurityOptions.Section).Get<ApiSecurityOptions>() ?? new ApiSecurityOptions();
        var openUrls = ExposureRules.Check(builder.Configuration, api);
        if (openUrls.Count > 0)
        {
            builder.Services.AddHostedService(sp => new AnonymousAccessWarning(openUrls, sp.GetRequiredService<ILogger<AnonymousAccessWarning>>()));
        }

        builder.Services.AddSingleton(new ServerRoleInfo(role));

        builder.Services.AddGrpc(options =>
        {
            // Detailed errors would put exception messages (and so internals) into statuses.
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<ErrorInterceptor>();
        })
            .AddServiceOptions<SweepApiService>(options => options.Interceptors.Add<ApiKeyInterceptor>())
            .AddServiceOptions<DatasetApiService>(options =>
            {
                options.Interceptors.Add<ApiKeyInterceptor>();
                options.MaxReceiveMessageSize = DatasetApiService.MaxChunkBytes + 64 * 1024;
            });
        builder.Services.AddSingleton<ApiKeyInterceptor>();
        builder.Services.AddGrpcHealthChecks()
            .AddCheck<RnnLabDatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<SiloHealthCheck>("silo", tags: [HealthEndpoints.ReadyTag]);
        if (api.Reflection)
        {
            builder.Services.AddGrpcReflection();
        }

        builder.Services.AddSingleton<SweepCatalog>();
        builder.Services.AddSingleton<SweepAnalyzer>();
        builder.Services.AddSingleton<AnalysisCache>();
        builder.Services.AddSingleton(services => new SweepCharting(services.GetRequiredService<IMetricStore>(), ChartLimits.Default));
        builder.Services.AddSingleton<SweepChartSource>();
        if (role != SiloRole.Worker)
        {
            builder.Services.AddHostedService<FinishedChartsWarmer>();
        }

        builder.Services.AddRnnLabRateLimits(builder.Configuration);
        builder.Services.AddSingleton<SweepReporter>();
        builder.Services.AddSingleton<ISweepEventFeed, GrainEventFeed>();
        builder.Services.AddSingleton<ISweepControl, GrainSweepControl>();
        builder.Services.AddRnnLabHttpApi();

        builder.AddRnnLabSilo(orchestration);
        builder.AddRnnLabTelemetry();
        return builder;
    }

    /// <param name="infoPath">Where a plain-text description of the server is served ("/" unless a dashboard owns it).</param>
    public static WebApplication MapRnnLabServer(this WebApplication app, string infoPath = "/")
    {
        var role = app.Services.GetRequiredService<ServerRoleInfo>().Role;
        app.UseRateLimiter();
        if (role != SiloRole.Worker)
        {
            app.MapRnnLabOpenApi();
            app.MapGrpcService<SweepApiService>();
            app.MapGrpcService<DatasetApiService>();
        }

        app.MapGrpcHealthChecksService();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiSecurityOptions>>().Value.Reflection)
        {
            app.MapGrpcReflectionService();
        }

        // Metrics, the HTTP probes and the plain-HTTP pages belong to the web port, which may bind to a private
        // address of its own; the gRPC port faces API clients. Decided by the port the connection arrived on, never
        // by the Host header, which the caller writes.
        if (ExposureRules.EndpointPort(app.Configuration, "Web") is { } webPort)
        {
            app.Use((http, next) =>
            {
                var path = http.Request.Path;
                var webOnly = path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health") || path == infoPath;
                if (webOnly && http.Connection.LocalPort != webPort)
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(http);
            });
        }

        app.MapRnnLabHealthEndpoints();
        app.MapPrometheusScrapingEndpoint();
        app.MapGet(infoPath, () => $"RnnLab server ({role.ToString().ToLowerInvariant()}): gRPC service rnnlab.v1.SweepService, metrics at /metrics");

        return app;
    }
}

/// <summary>Says loudly, at every start, that an open server listens beyond loopback.</summary>
internal sealed class AnonymousAccessWarning(IReadOnlyList<string> urls, ILogger<AnonymousAccessWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "Api:AllowAnonymous is true and no API keys are configured: anyone who reaches {Urls} may submit, cancel and read every sweep",
            string.Join(", ", urls));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The role this process was started in.</summary>
public sealed record ServerRoleInfo(SiloRole Role);
