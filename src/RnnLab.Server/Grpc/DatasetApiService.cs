using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RnnLab.Contracts.V1;
using RnnLab.Storage;
using RnnLab.Tasks.Data;

namespace RnnLab.Server.Grpc;

/// <summary>Uploads, lists and removes datasets: how a remote user gives trials data without naming server files.</summary>
public sealed class DatasetApiService(IDatasetStore datasets, DataOptions options) : DatasetService.DatasetServiceBase
{
    public const int MaxChunkBytes = 1024 * 1024;

    public override async Task<Contracts.V1.Dataset> UploadDataset(IAsyncStreamReader<UploadDatasetRequest> requestStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        if (!await requestStream.MoveNext(token) || requestStream.Current.PartCase != UploadDatasetRequest.PartOneofCase.Header)
        {
            throw ApiErrors.InvalidArgument("header", "the first message must carry the dataset's header");
        }

        var header = requestStream.Current.Header;
        Validate(header);
        using var buffer = new MemoryStream((int)Math.Min(header.Size, MaxChunkBytes * 16L));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (await requestStream.MoveNext(token))
        {
            var part = requestStream.Current;
            if (part.PartCase != UploadDatasetRequest.PartOneofCase.Chunk)
            {
                throw ApiErrors.InvalidArgument("header", "only the first message may carry a header");
            }

            if (part.Chunk.Length > MaxChunkBytes)
            {
                throw ApiErrors.InvalidArgument("chunk", $"a chunk may hold at most {MaxChunkBytes} bytes, not {part.Chunk.Length}");
            }

            // Checked as bytes arrive, so an oversized upload is refused before it is held in memory.
            if (buffer.Length + part.Chunk.Length > Math.Min(header.Size, options.MaxBytes))
            {
                throw ApiErrors.InvalidArgument("header.size", $"the upload is larger than its declared size ({header.Size} bytes)");
            }

            hash.AppendData(part.Chunk.Span);
            buffer.Write(part.Chunk.Span);
        }

        if (buffer.Length != header.Size)
        {
            throw ApiErrors.InvalidArgument("header.size", $"declared {header.Size} bytes but {buffer.Length} arrived");
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != header.Sha256)
        {
            throw ApiErrors.InvalidArgument("header.sha256", $"the bytes that arrived have SHA-256 {actual}, not {header.Sha256}");
        }

        try
        {
            return ToProto(await datasets.PutAsync(header.Name, header.Format, buffer.ToArray(), token));
        }
        catch (DatasetConflictException exception)
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.AlreadyExists, exception.Message));
        }
    }

    public override async Task<ListDatasetsResponse> ListDatasets(ListDatasetsRequest request, ServerCallContext context)
    {
        var response = new ListDatasetsResponse();
        response.Datasets.AddRange((await datasets.ListAsync(context.CancellationToken)).Select(ToProto));
        return response;
    }

    public override async Task<DeleteDatasetResponse> DeleteDataset(DeleteDatasetRequest request, ServerCallContext context)
    {
        if (!DatasetNames.IsReference(request.Reference))
        {
            throw ApiErrors.InvalidArgument("reference", $"'{request.Reference}' is not sha256:HEX or dataset:NAME");
        }

        return await datasets.DeleteAsync(request.Reference, context.CancellationToken)
            ? new DeleteDatasetResponse()
            : throw ApiErrors.NotFound("dataset", request.Reference);
    }

    private void Validate(DatasetHeader header)
    {
        var errors = new List<(string, string)>();
        if (!DatasetNames.IsValidName(header.Name))
        {
            errors.Add(("header.name", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }

        if (!DatasetNames.Formats.Contains(header.Format))
        {
            errors.Add(("header.format", $"must be one of {string.Join(", ", DatasetNames.Formats)}, not '{header.Format}'"));
        }

        if (!DatasetNames.IsValidHash(header.Sha256))
        {
            errors.Add(("header.sha256", "must be 64 lowercase hexadecimal digits"));
        }

        if (header.Size < 1 || header.Size > options.MaxBytes)
        {
            errors.Add(("header.size", $"must be between 1 and {options.MaxBytes} bytes (Data:MaxBytes), not {header.Size}"));
        }

        if (errors.Count > 0)
        {
            throw ApiErrors.InvalidArgument(errors);
        }
    }

    internal static Contracts.V1.Dataset ToProto(DatasetRecord record) => new()
    {
        Sha256 = record.Sha256,
        Name = record.Name,
        Format = record.Format,
        Size = record.Size,
        CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(record.CreatedAt, DateTimeKind.Utc)),
        Reference = record.Reference,
    };
}
