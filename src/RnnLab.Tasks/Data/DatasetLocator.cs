using System.Security.Cryptography;

namespace RnnLab.Tasks.Data;

/// <summary>Finds a dataset file: first in the data directory (the argument, else <c>RNNLAB_DATA_DIR</c>), then
/// in the user cache, else downloads it once into the cache and checks its SHA-256.</summary>
public sealed class DatasetLocator
{
    public const string DataDirectoryVariable = "RNNLAB_DATA_DIR";
    public const string CacheDirectoryVariable = "RNNLAB_CACHE_DIR";

    private readonly string? _dataDirectory;
    private readonly string _cacheDirectory;
    private readonly Func<Uri, Stream>? _download;

    /// <param name="dataDirectory">Where to look first; null → <c>RNNLAB_DATA_DIR</c>.</param>
    /// <param name="cacheDirectory">Download cache; null → <c>RNNLAB_CACHE_DIR</c> or the user's local data folder.</param>
    /// <param name="download">Opens a remote address; null → HTTP GET.</param>
    public DatasetLocator(string? dataDirectory = null, string? cacheDirectory = null, Func<Uri, Stream>? download = null)
    {
        _dataDirectory = NonEmpty(dataDirectory) ?? NonEmpty(Environment.GetEnvironmentVariable(DataDirectoryVariable));
        _cacheDirectory = NonEmpty(cacheDirectory)
            ?? NonEmpty(Environment.GetEnvironmentVariable(CacheDirectoryVariable))
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "rnnlab", "datasets");
        _download = download;
    }

    public string Locate(DatasetInfo dataset)
    {
        if (_dataDirectory is not null)
        {
            var local = Path.Combine(_dataDirectory, dataset.FileName);
            if (File.Exists(local))
            {
                return local;
            }
        }

        var cached = Path.Combine(_cacheDirectory, dataset.FileName);
        if (File.Exists(cached) && Sha256Of(cached) == dataset.Sha256)
        {
            return cached;
        }

        Download(dataset, cached);
        return cached;
    }

    private void Download(DatasetInfo dataset, string target)
    {
        Directory.CreateDirectory(_cacheDirectory);
        var partial = target + ".partial";
        try
        {
            using (var source = _download is null ? HttpGet(dataset.Address) : _download(dataset.Address))
            using (var file = File.Create(partial))
            {
                source.CopyTo(file);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            throw new FileNotFoundException(
                $"dataset '{dataset.Name}' is not available: could not download {dataset.Address} ({ex.Message}). " +
                $"Put the file '{dataset.FileName}' into a data directory and set {DataDirectoryVariable} to it" +
                (_dataDirectory is null ? "" : $" (now '{_dataDirectory}')") +
                $", or place it at '{target}'.", dataset.FileName, ex);
        }

        var actual = Sha256Of(partial);
        if (actual != dataset.Sha256)
        {
            File.Delete(partial);
            throw new InvalidDataException(
                $"dataset '{dataset.Name}' downloaded from {dataset.Address} has SHA-256 {actual}, expected {dataset.Sha256}; not using it.");
        }

        File.Move(partial, target, overwrite: true);
    }

    private static Stream HttpGet(Uri address)
    {
        // Synchronous on purpose: tasks are built on worker threads that must not depend on a synchronization context.
        using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, address));
        response.EnsureSuccessStatusCode();
        var buffer = new MemoryStream();
        response.Content.ReadAsStream().CopyTo(buffer);
        buffer.Position = 0;
        return buffer;
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
