using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using RnnLab.Contracts.V1;

namespace RnnLab.Dashboard.Hosting;

/// <summary>The dashboard's one channel to the RnnLab server, with the API key on every call.</summary>
public sealed class SweepApi : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Metadata _headers = [];

    public SweepApi(IOptions<DashboardOptions> options)
    {
        var value = options.Value;
        value.Validate();
        Server = value.Server!;
        _channel = GrpcChannel.ForAddress(Server, new GrpcChannelOptions
        {
            // Snapshots of large sweeps exceed the 4 MB default.
            MaxReceiveMessageSize = 256 * 1024 * 1024,
        });
        Client = new SweepService.SweepServiceClient(_channel);
        if (!string.IsNullOrEmpty(value.ApiKey))
        {
            _headers.Add("authorization", $"Bearer {value.ApiKey}");
        }
    }

    public Uri Server { get; }

    public SweepService.SweepServiceClient Client { get; }

    /// <summary>Call options carrying the API key, cancelled by <paramref name="cancellationToken"/>.</summary>
    public CallOptions Call(CancellationToken cancellationToken = default) => new(_headers, cancellationToken: cancellationToken);

    public void Dispose() => _channel.Dispose();
}
