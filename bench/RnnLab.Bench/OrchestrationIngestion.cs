using System.Diagnostics;
using System.Globalization;
using Npgsql;
using RnnLab.Storage;

namespace RnnLab.Bench;

/// <summary>Metric ingestion through the store (batched binary COPY) against one plain text COPY of the same rows.</summary>
internal static class OrchestrationIngestion
{
    public sealed record Result(int Points, double StorePointsPerSecond, double CopyPointsPerSecond)
    {
        public double Ratio => StorePointsPerSecond / CopyPointsPerSecond;
    }

    public static async Task<Result> RunAsync(string connectionString, int trials = 10, int epochs = 1000, int batch = 1000)
    {
        var database = new RnnLabDatabase(new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = connectionString });
        await database.MigrateAsync();
        var stores = database.CreateStores();
        var (sweep, _) = await stores.Sweeps.CreateAsync(new NewSweep("ingestion", "{}"));
        string[] names = ["train.loss", "valid.nll", "valid.accuracy", "test.nll", "lr", "seconds", "samples_per_second", "grad_norm", "best_epoch", "valid.bpc"];
        var points = new List<MetricPoint>();
        for (var t = 0; t < trials; t++)
        {
            var trial = await stores.Trials.AddAsync(new NewTrial(sweep.Id, t, "{}"));
            for (var e = 1; e <= epochs; e++)
            {
                foreach (var name in names)
                {
                    points.Add(new MetricPoint(trial.Id, e, name, 1.0 / e + t));
                }
            }
        }

        var storeSeconds = new List<double>();
        var copySeconds = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            await TruncateAsync(connectionString);
            copySeconds.Add(await PlainCopyAsync(connectionString, points));
            await TruncateAsync(connectionString);
            var clock = Stopwatch.StartNew();
            foreach (var chunk in points.Chunk(batch))
            {
                await stores.Metrics.AppendAsync(chunk);
            }

            storeSeconds.Add(clock.Elapsed.TotalSeconds);
        }

        return new Result(points.Count, points.Count / storeSeconds.Min(), points.Count / copySeconds.Min());
    }

    private static async Task<double> PlainCopyAsync(string connectionString, IReadOnlyList<MetricPoint> points)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var writer = await connection.BeginTextImportAsync("COPY metric_points (trial_id, epoch, name, value) FROM STDIN"))
        {
            foreach (var p in points)
            {
                await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{p.TrialId}\t{p.Epoch}\t{p.Name}\t{p.Value:R}\n"));
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static async Task TruncateAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("TRUNCATE metric_points", connection);
        await command.ExecuteNonQueryAsync();
    }
}
