using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>Uploads test datasets through the API in chunks, as the CLI does.</summary>
internal static class DatasetUploads
{
    public static async Task<Dataset> UploadAsync(DatasetService.DatasetServiceClient client, string name, string format, byte[] bytes,
        string? declaredSha = null, long? declaredSize = null, int chunk = 1000)
    {
        using var call = client.UploadDataset();
        await call.RequestStream.WriteAsync(new UploadDatasetRequest
        {
            Header = new DatasetHeader
            {
                Name = name,
                Format = format,
                Sha256 = declaredSha ?? Convert.ToHexStringLower(SHA256.HashData(bytes)),
                Size = declaredSize ?? bytes.LongLength,
            },
        });
        try
        {
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                await call.RequestStream.WriteAsync(new UploadDatasetRequest { Chunk = ByteString.CopyFrom(bytes, offset, Math.Min(chunk, bytes.Length - offset)) });
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server may refuse before the last chunk; its status is the call's response.
        }
        catch (InvalidOperationException)
        {
        }

        return await call.ResponseAsync;
    }
}
