using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RnnLab.Server.Grpc;
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
        var role = orchestration.Role;

        builder.Services.Configure<ApiSecurityOptions>(builder.Configuration.GetSection(ApiSecurityOptions.Section));
        builder.Services.AddSingleton(new ServerRoleInfo(role));

        builder.Services.AddGrpc(options =>
        {
            // Detailed errors would put exception messages (and so internals) into statuses.
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<ErrorInterceptor>();
        }).AddServiceOptions<SweepApiService>(options => options.Interceptors.Add<ApiKeyInterceptor>());
        builder.Services.AddSingleton<ApiKeyInterceptor>();
        builder.Services.AddGrpcHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddGrpcReflection();
        builder.Services.AddSingleton<SweepCatalog>();
        builder.Services.AddSingleton<SweepAnalyzer>();
        builder.Services.AddSingleton<SweepReporter>();
        builder.Services.AddSingleton<ISweepEventFeed, GrainEventFeed>();
        builder.Services.AddSingleton<ISweepControl, GrainSweepControl>();

        builder.AddRnnLabSilo(orchestration);
        builder.AddRnnLabTelemetry();
        return builder;
    }

    /// <param name="infoPath">Where a plain-text description of the server is served ("/" unless a dashboard owns it).</param>
    public static WebApplication MapRnnLabServer(this WebApplication app, string infoPath = "/")
    {
        var role = app.Services.GetRequiredService<ServerRoleInfo>().Role;
        if (role != SiloRole.Worker)
        {
            app.MapGrpcService<SweepApiService>();
        }

        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapPrometheusScrapingEndpoint();
        app.MapGet(infoPath, () => $"RnnLab server ({role.ToString().ToLowerInvariant()}): gRPC service rnnlab.v1.SweepService, metrics at /metrics");
        return app;
    }
}

/// <summary>The role this process was started in.</summary>
public sealed record ServerRoleInfo(SiloRole Role);

/// <summary>Healthy when the database answers.</summary>
internal sealed class DatabaseHealthCheck(RnnLabDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Opening a connection, unlike CanConnect, does not call a SQLite file that migration is about to create missing.
            await using var db = database.CreateContext();
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.CloseConnectionAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer");
        }
    }
}
