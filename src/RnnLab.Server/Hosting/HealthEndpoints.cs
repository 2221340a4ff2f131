using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace RnnLab.Server.Hosting;

/// <summary>
/// Plain HTTP probes for container engines and Kubernetes, next to gRPC health: liveness answers while the process
/// serves requests; readiness also needs the database and an active silo.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    internal const string ReadyTag = "ready";

    public static WebApplication MapRnnLabHealthEndpoints(this WebApplication app)
    {
        // No check runs for liveness: a database outage must not make an orchestrator restart every process.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}

/// <summary>Healthy once this process's silo has joined the cluster and until it starts leaving.</summary>
internal sealed class SiloHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"the silo is {silo.CurrentStatus}"));
}
