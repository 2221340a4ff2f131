using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using RnnLab.Grains.Data;
using RnnLab.Grains.Execution;
using RnnLab.Grains.Workers;
using RnnLab.Storage;

namespace RnnLab.Grains.Hosting;

/// <summary>One-line set-up of an RnnLab silo for the server host and the embedded `rnnlab run`.</summary>
public static class RnnLabSiloExtensions
{
    /// <summary>Adds Orleans with RnnLab's grains, storage and (by role) the worker to the host.</summary>
    public static IHostApplicationBuilder AddRnnLabSilo(this IHostApplicationBuilder builder, OrchestrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseOrleans(silo =>
        {
            if (options.UseLocalhostClustering)
            {
                silo.UseLocalhostClustering();
            }

            silo.AddRnnLab(options);
        });
        return builder;
    }

    /// <summary>Adds RnnLab's grains, storage, start-up migration and sweep resumption, and the worker on worker silos.</summary>
    public static ISiloBuilder AddRnnLab(this ISiloBuilder silo, OrchestrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var services = silo.Services;
        var storage = new StorageOptions
        {
            Provider = options.Storage.Provider,
            ConnectionString = options.Storage.ConnectionString,
            // Migration runs in the silo lifecycle instead, before grains can activate.
            MigrateOnStartup = false,
        };
        services.AddRnnLabStorage(storage);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SweepSpecCache>();
        services.AddSingleton<SweepClient>();
        services.AddSingleton<SlotUsage>();
        services.AddSingleton(options.Data);
        if (options.BenchmarkTasks)
        {
            services.AddSingleton<QuadraticExecutor>();
            services.AddSingleton<ITrialExecutor>(sp => sp.GetRequiredService<QuadraticExecutor>());
        }

        services.AddSingleton(sp => new DatasetFiles(
            sp.GetRequiredService<IDatasetStore>(), options.Data, BenchmarkExecutors(sp, options)));
        services.AddSingleton<ITrialExecutor>(sp => new TrainingExecutor(options.DataDirectory, sp.GetRequiredService<DatasetFiles>()));
        services.AddSingleton<TrialExecutorCatalog>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, DatabaseMigrator>();
        if (options.Role is SiloRole.All or SiloRole.Api)
        {
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SweepResumer>();
        }

        if (options.Role is SiloRole.All or SiloRole.Worker)
        {
            services.AddSingleton<TrialWorker>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<TrialWorker>());
        }

        return silo;
    }

    private static ITrialExecutor[] BenchmarkExecutors(IServiceProvider services, OrchestrationOptions options) =>
        options.BenchmarkTasks ? [services.GetRequiredService<QuadraticExecutor>()] : [];
}
