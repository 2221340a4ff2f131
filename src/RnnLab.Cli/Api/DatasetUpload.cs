using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using RnnLab.Contracts.V1;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;
using RnnLab.Tasks;

namespace RnnLab.Cli.Api;

/// <summary>Sends local files to a server as datasets, and rewrites a spec that names a local file to name the upload.</summary>
public static partial class DatasetUpload
{
    private const int ChunkBytes = 1024 * 1024;

    /// <summary>Uploads <paramref name="path"/> under <paramref name="name"/> (null: <see cref="NameFor"/>); content the
    /// server already holds is not sent again, under whatever name it has there.</summary>
    public static async Task<Dataset> PushAsync(ApiConnection connection, string path, string? name, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (await StoredAsync(connection, sha, cancellationToken) is { } stored)
        {
            return stored;
        }

        try
        {
            using var call = connection.Datasets.UploadDataset(cancellationToken: cancellationToken);
            await call.RequestStream.WriteAsync(new UploadDatasetRequest
            {
                Header = new DatasetHeader { Name = name ?? NameFor(path, sha), Format = DatasetNames.FormatOf(path), Sha256 = sha, Size = bytes.LongLength },
            }, cancellationToken);
            for (var offset = 0; offset < bytes.Length; offset += ChunkBytes)
            {
                var length = Math.Min(ChunkBytes, bytes.Length - offset);
                await call.RequestStream.WriteAsync(new UploadDatasetRequest { Chunk = ByteString.CopyFrom(bytes, offset, length) }, cancellationToken);
            }

            await call.RequestStream.CompleteAsync();
            return await call.ResponseAsync;
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.AlreadyExists)
        {
            // Another upload of the same bytes may have won the race: then that is the dataset.
            if (await StoredAsync(connection, sha, cancellationToken) is { } raced)
            {
                return raced;
            }

            throw;
        }
    }

    private static async Task<Dataset?> StoredAsync(ApiConnection connection, string sha, CancellationToken cancellationToken) =>
        (await connection.Datasets.ListDatasetsAsync(new ListDatasetsRequest(), cancellationToken: cancellationToken)).Datasets
            .FirstOrDefault(d => d.Sha256 == sha);

    /// <summary>A dataset name from a file name: its safe characters plus a piece of the content hash, so that two
    /// different files called data.txt never collide.</summary>
    public static string NameFor(string path, string sha256)
    {
        var stem = UnsafeCharacters().Replace(Path.GetFileNameWithoutExtension(path), "-").Trim('-', '.', '_');
        stem = stem.Length == 0 ? "data" : stem[..Math.Min(stem.Length, 40)];
        return $"{stem}-{sha256[..12]}{(DatasetNames.FormatOf(path) == "music" ? ".json" : ".txt")}";
    }

    /// <summary>
    /// When the spec's task is a file on this machine (relative to the spec's folder or the current one), uploads it
    /// and returns the spec text with the task replaced by the upload's sha256: reference; otherwise the text as it is.
    /// </summary>
    public static async Task<(string Text, Dataset? Uploaded)> RewriteSpecAsync(
        ApiConnection connection, string specPath, string text, CancellationToken cancellationToken)
    {
        if (SweepSpec.Parse(text).Spec is not { } spec)
        {
            return (text, null); // the server reports every error with its path
        }

        var task = spec.Task.Name;
        if (TaskCatalog.BuiltInNames.Contains(task) || DatasetNames.IsReference(task))
        {
            return (text, null);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(specPath))!;
        var local = new[] { Path.Combine(folder, task), Path.GetFullPath(task) }.FirstOrDefault(File.Exists);
        if (local is null)
        {
            return (text, null);
        }

        var uploaded = await PushAsync(connection, local, null, cancellationToken);

        var pattern = new Regex(@"(?<=^|[\s:\[{,])(['""]?)" + Regex.Escape(task) + @"\1(?=\s|,|}|]|$)", RegexOptions.Multiline);
        var rewritten = pattern.Replace(text, uploaded.Reference);
        if (SweepSpec.Parse(rewritten).Spec?.Task.Name != uploaded.Reference)
        {
            throw new ArgumentException($"FILE: uploaded '{local}' as {uploaded.Reference}, but could not put that reference into the spec; write task: {uploaded.Reference} yourself");
        }

        return (rewritten, uploaded);
    }

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex UnsafeCharacters();
}
