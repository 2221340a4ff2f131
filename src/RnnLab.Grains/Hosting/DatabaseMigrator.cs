using Orleans.Runtime;
using RnnLab.Storage;

namespace RnnLab.Grains.Hosting;

/// <summary>Applies the database migrations before any grain or worker of the silo touches the database.</summary>
internal sealed class DatabaseMigrator(RnnLabDatabase database) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(DatabaseMigrator), ServiceLifecycleStage.RuntimeInitialize, ct => database.MigrateAsync(ct));
}
