using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddSingleton<ISweepStore, EfSweepStore>();
        services.AddSingleton<ITrialStore, EfTrialStore>();
        services.AddSingleton<IMetricStore, EfMetricStore>();
        services.AddSingleton<ICheckpointStore, EfCheckpointStore>();
        services.AddSingleton<IDatasetStore, EfDatasetStore>();
        if (options.MigrateOnStartup)
        {
            services.AddHostedService<MigrationHostedService>();
        }

        return services;
    }

    /// <summary>The stores over one database, without a service container (tests, benchmarks).</summary>
    public static RnnLabStores CreateStores(this RnnLabDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var clock = time ?? TimeProvider.System;
        return new RnnLabStores(
            new EfSweepStore(database, clock),
            new EfTrialStore(database, clock),
            new EfMetricStore(database),
            new EfCheckpointStore(database, clock),
            new EfDatasetStore(database, clock));
    }
}

/// <summary>The stores of one database.</summary>
public sealed record RnnLabStores(ISweepStore Sweeps, ITrialStore Trials, IMetricStore Metrics, ICheckpointStore Checkpoints, IDatasetStore Datasets);
