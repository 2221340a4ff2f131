using Microsoft.EntityFrameworkCore;
using RnnLab.Storage.Configurations;
using RnnLab.Storage.Entities;

namespace RnnLab.Storage;

/// <summary>The EF Core model shared by both providers; each provider has a subclass owning its migrations.</summary>
public abstract class RnnLabDbContext(DbContextOptions options) : DbContext(options)
{
    internal DbSet<SweepEntity> Sweeps => Set<SweepEntity>();
    internal DbSet<TrialEntity> Trials => Set<TrialEntity>();
    internal DbSet<MetricPointEntity> MetricPoints => Set<MetricPointEntity>();
    internal DbSet<CheckpointEntity> Checkpoints => Set<CheckpointEntity>();
    internal DbSet<SweepEventEntity> SweepEvents => Set<SweepEventEntity>();
    internal DbSet<DatasetEntity> Datasets => Set<DatasetEntity>();

    /// <summary>Column type for JSON documents (jsonb on PostgreSQL, TEXT on SQLite).</summary>
    protected abstract string JsonColumnType { get; }

    internal abstract StorageProvider Provider { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new SweepConfiguration());
        modelBuilder.ApplyConfiguration(new TrialConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new MetricPointConfiguration());
        modelBuilder.ApplyConfiguration(new CheckpointConfiguration());
        modelBuilder.ApplyConfiguration(new SweepEventConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new DatasetConfiguration());
    }
}
