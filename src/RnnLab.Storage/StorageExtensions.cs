using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RnnLab.Storage.Postgres;
using RnnLab.Storage.Sqlite;
using RnnLab.Storage.Stores;

namespace RnnLab.Storage;

/// <summary>Registers the database, the stores and (optionally) start-up migration.</summary>
public static class StorageExtensions
{
    public static IServiceCollection AddRnnLabStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(new RnnLabDatabase(options));
        services.AddSingleton(sp => sp.GetRequiredService<RnnLabDatabase>().CreateStores(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => sp.GetRequiredService<RnnLabStores>().Sweeps);
        services.AddSingleton(sp => sp.GetRequiredService<RnnLabStores>().Trials);
        services.AddSingleton(sp => sp.GetRequiredService<RnnLabStores>().Metrics);
        services.AddSingleton(sp => sp.GetRequiredService<RnnLabStores>().Checkpoints);
        services.AddSingleton(sp => sp.GetRequiredService<RnnLabStores>().Datasets);
        services.AddSingleton<RnnLabDatabaseHealthCheck>();
        if (options.MigrateOnStartup)
        {
            services.AddHostedService<MigrationHostedService>();
        }

        return services;
    }

    /// <summary>The stores over one database, the provider's own where the providers differ; chosen here, once.</summary>
    public static RnnLabStores CreateStores(this RnnLabDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var clock = time ?? TimeProvider.System;
        var checkpoints = new EfCheckpointStore(database, clock);
        var datasets = new EfDatasetStore(database, clock);
        return database.Batcher is { } batcher
            ? new RnnLabStores(
                new PostgresSweepStore(database, batcher, clock),
                new PostgresTrialStore(database, batcher, clock),
                new PostgresMetricStore(database, batcher),
                checkpoints,
                datasets)
            : new RnnLabStores(
                new SqliteSweepStore(database, clock),
                new SqliteTrialStore(database, clock),
                new SqliteMetricStore(database),
                checkpoints,
                datasets);
    }
}

/// <summary>The stores of one database.</summary>
public sealed record RnnLabStores(ISweepStore Sweeps, ITrialStore Trials, IMetricStore Metrics, ICheckpointStore Checkpoints, IDatasetStore Datasets);
