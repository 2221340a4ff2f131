using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RnnLab.Contracts.V1;

namespace RnnLab.Cli.Api;

/// <summary>A channel to a server with the API key (from RNNLAB_API_KEY) on every call.</summary>
public sealed class ApiConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    public ApiConnection(string address, string? apiKey = null)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new ArgumentException($"--server: '{address}' is not an http:// or https:// address");
        }

        _channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
        var key = apiKey ?? Environment.GetEnvironmentVariable("RNNLAB_API_KEY");
        CallInvoker invoker = _channel.CreateCallInvoker();
        if (!string.IsNullOrEmpty(key))
        {
            invoker = invoker.Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + key);
                return metadata;
            });
        }

        Sweeps = new SweepService.SweepServiceClient(invoker);
        Datasets = new DatasetService.DatasetServiceClient(invoker);
    }

    public SweepService.SweepServiceClient Sweeps { get; }

    public DatasetService.DatasetServiceClient Datasets { get; }

    public void Dispose() => _channel.Dispose();
}
