using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RnnLab.Storage;

/// <summary>Ready when a connection to the configured database opens; hosts add it to their health checks.</summary>
public sealed class RnnLabDatabaseHealthCheck(RnnLabDatabase database) : IHealthCheck
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
