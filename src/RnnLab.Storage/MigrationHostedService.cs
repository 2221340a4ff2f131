using Microsoft.Extensions.Hosting;

namespace RnnLab.Storage;

/// <summary>Applies pending migrations before anything else in the host starts using the database.</summary>
internal sealed class MigrationHostedService(RnnLabDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
