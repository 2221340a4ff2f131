using System.Security.Cryptography;
using RnnLab.Grains.Execution;
using RnnLab.Storage;
using RnnLab.Tasks;
using RnnLab.Tasks.Data;

namespace RnnLab.Grains.Data;

/// <summary>
/// Turns a spec's task into something a trial may read: a built-in or benchmark task as it is, an uploaded dataset
/// (<c>sha256:HEX</c>, <c>dataset:NAME</c>) fetched from the database once and cached by hash, or a server path that
/// <see cref="DataRoots"/> allows. The API checks a spec with <see cref="CheckAsync"/> before it is stored; workers
/// resolve again before reading, so no path reaches a trial unchecked.
/// </summary>
public sealed class DatasetFiles(IDatasetStore datasets, DataOptions options, IEnumerable<ITrialExecutor> executors)
{
    private readonly HashSet<string> _bareTasks = new(
        TaskCatalog.BuiltInNames.Concat(executors.SelectMany(e => e.Tasks).Where(t => t != "*")), StringComparer.OrdinalIgnoreCase);

    private readonly SemaphoreSlim _fetching = new(1, 1);

    /// <summary>Null when a spec may name this task; otherwise why not.</summary>
    public async Task<string?> CheckAsync(string task, CancellationToken cancellationToken)
    {
        if (_bareTasks.Contains(task))
        {
            return null;
        }

        if (DatasetNames.IsReference(task))
        {
            if (task.StartsWith(DatasetNames.HashPrefix, StringComparison.Ordinal) && !DatasetNames.IsValidHash(task[DatasetNames.HashPrefix.Length..]))
            {
                return $"'{task}' is not a SHA-256 reference: sha256: takes 64 lowercase hexadecimal digits";
            }

            return await datasets.FindAsync(task, cancellationToken) is null
                ? $"no uploaded dataset is named '{task}': upload it with 'rnnlab data push FILE' ('rnnlab data ls' lists them)"
                : null;
        }

        try
        {
            DataRoots.Resolve(task, options);
            return null;
        }
        catch (DataAccessException exception)
        {
            var unknown = !task.Contains('/') && !task.Contains('\\') && !Path.HasExtension(task)
                ? $"'{task}' is not a built-in task ({string.Join(", ", TaskCatalog.BuiltInNames)}) nor a dataset reference; as a file: "
                : "";
            return unknown + exception.Message;
        }
    }

    /// <summary>The task name TaskCatalog should build: the name itself, a cached dataset file, or a checked server path.</summary>
    /// <exception cref="DataAccessException">The task names something a trial may not read.</exception>
    public async Task<string> ResolveAsync(string task, CancellationToken cancellationToken)
    {
        if (_bareTasks.Contains(task))
        {
            return task;
        }

        if (!DatasetNames.IsReference(task))
        {
            return DataRoots.Resolve(task, options);
        }

        var dataset = await datasets.FindAsync(task, cancellationToken)
            ?? throw new DataAccessException($"no uploaded dataset is named '{task}'");
        var folder = options.CacheDirectory ?? Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "rnnlab", "datasets", "sha256");
        var file = Path.Combine(folder, dataset.Sha256 + (dataset.Format == "music" ? ".json" : ".txt"));
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(file) && await HashOfAsync(file, cancellationToken) == dataset.Sha256)
            {
                return file;
            }

            var bytes = await datasets.GetBytesAsync(dataset.Sha256, cancellationToken)
                ?? throw new DataAccessException($"dataset '{task}' was removed");
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != dataset.Sha256)
            {
                throw new InvalidDataException($"dataset '{task}' read from the database does not match its SHA-256");
            }

            Directory.CreateDirectory(folder);
            var partial = file + $".{Environment.ProcessId}.partial";
            await File.WriteAllBytesAsync(partial, bytes, cancellationToken);
            File.Move(partial, file, overwrite: true);
            return file;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private static async Task<string> HashOfAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
