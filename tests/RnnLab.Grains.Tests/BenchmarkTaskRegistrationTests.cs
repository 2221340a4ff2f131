using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RnnLab.Grains.Data;
using RnnLab.Grains.Execution;
using RnnLab.Grains.Hosting;
using RnnLab.Storage;

namespace RnnLab.Grains.Tests;

/// <summary>The `quadratic` benchmark task exists only on silos that ask for it; a production silo refuses the name.</summary>
public sealed class BenchmarkTaskRegistrationTests
{
    private static IHost Silo(bool benchmarkTasks)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.AddRnnLab(new OrchestrationOptions
            {
                Storage = new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = "Data Source=:memory:" },
                BenchmarkTasks = benchmarkTasks,
            });
        });
        return builder.Build();
    }

    [Fact]
    public async Task A_production_silo_has_no_benchmark_executor_and_refuses_the_task_by_name()
    {
        using var host = Silo(benchmarkTasks: false);
        Assert.DoesNotContain(host.Services.GetServices<ITrialExecutor>(), e => e is QuadraticExecutor);
        var error = await host.Services.GetRequiredService<DatasetFiles>().CheckAsync(QuadraticExecutor.TaskName, CancellationToken.None);
        Assert.NotNull(error);
        Assert.Contains("'quadratic' is not a built-in task", error);
    }

    [Fact]
    public async Task A_silo_that_asks_for_benchmark_tasks_runs_quadratic()
    {
        using var host = Silo(benchmarkTasks: true);
        var catalog = host.Services.GetRequiredService<TrialExecutorCatalog>();
        Assert.IsType<QuadraticExecutor>(catalog.Get(QuadraticExecutor.TaskName));
        Assert.Null(await host.Services.GetRequiredService<DatasetFiles>().CheckAsync(QuadraticExecutor.TaskName, CancellationToken.None));
    }
}
